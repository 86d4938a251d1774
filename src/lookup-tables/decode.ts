import { gunzipSync, inflateSync } from 'node:zlib';
import { deepFreeze } from '../rules/read-only.ts';
import { TableDataError } from './errors.ts';

export const MiB = 1024 * 1024;

/** A table's contents: key -> value, every value frozen (rules share them). */
export type TableRows = ReadonlyMap<string, unknown>;

/** Text for a byte count in messages: `67,108,864 bytes`. */
export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** Why a table is refused for its size, and the fix. */
export function tooLarge(source: string, what: string, maxBytes: number, fix = 'raise max_size_mb, split the table, or use the dynamodb driver'): TableDataError {
  return new TableDataError(`${source} ${what}, over this table's limit of ${formatBytes(maxBytes)} (max_size_mb ${maxBytes / MiB}); ${fix}`);
}

/**
 * A table object as StreamAlert's S3 driver reads it: gzip (or zlib) when `compression` is set,
 * falling back to the bytes as they are when they are not compressed, then JSON that must be an
 * object of keys. Inflating stops at `maxBytes`, so a small object that inflates to gigabytes
 * is refused without being held.
 *
 * @example
 *   decodeTable(gzipSync('{"ip_whitelist": ["2.2.2.2"]}'), { compression: 'gzip', maxBytes: 64 * MiB, source: 's3://b/k' })
 *   // Map { 'ip_whitelist' => ['2.2.2.2'] }
 */
export function decodeTable(bytes: Buffer, options: { compression: boolean | 'gzip'; maxBytes: number; source: string }): TableRows {
  const { maxBytes, source } = options;
  let text = bytes;
  if (options.compression !== false) text = inflated(bytes, maxBytes, source);
  else if (isGzip(bytes)) throw new TableDataError(`${source} is gzip-compressed but the table says "compression": false; set "compression": "gzip"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new TableDataError(`${source} is not valid JSON (${(error as Error).message}); a table is a JSON object of keys and their values`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TableDataError(`${source} holds ${Array.isArray(parsed) ? 'a list' : `a ${parsed === null ? 'null' : typeof parsed}`}, not a JSON object of keys and their values`);
  }
  return rowsOf(Object.entries(parsed));
}

/** Rows from key-value pairs, values frozen. A Map, so that keys such as `__proto__` are plain keys. */
export function rowsOf(entries: Iterable<readonly [string, unknown]>): TableRows {
  const rows = new Map<string, unknown>();
  for (const [key, value] of entries) {
    deepFreeze(value);
    rows.set(key, value);
  }
  return rows;
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** zlib's header: CMF 0x78 and a check that makes the first two bytes a multiple of 31. */
function isZlib(bytes: Buffer): boolean {
  return bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
}

function inflated(bytes: Buffer, maxBytes: number, source: string): Buffer {
  const inflate = isGzip(bytes) ? gunzipSync : isZlib(bytes) ? inflateSync : undefined;
  // StreamAlert falls back to the bytes as they are when they are not compressed.
  if (inflate === undefined) return bytes;
  try {
    return inflate(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(source, 'inflates to more', maxBytes);
    throw new TableDataError(`${source} could not be decompressed (${(error as Error).message})`);
  }
}
