import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isPlainObject } from '../classifier/record.ts';
import { formatBytes, MiB } from '../lookup-tables/decode.ts';
import type { Indicator } from './indicator.ts';

/** An indicator file that cannot be used; the message names the file, the entry and the fix. */
export class IndicatorFileError extends Error {
  override name = 'IndicatorFileError';
}

const SHAPE = 'a JSON list of {"ioc_value": "1.1.1.2", "ioc_type": "ip", "sub_type": "mal_ip"}, or CSV with a header row ioc_value,ioc_type,sub_type';

/**
 * Ours: the indicators of a project's local IOC table (conf/threat_intel.json `file`), in the
 * shape of StreamAlert's DynamoDB IOC items and test fixtures: a JSON list of objects, or a CSV
 * file (`.csv`) whose header names the columns. Re-read only when its modification time or
 * size changed; over max_size_mb it is refused before being read.
 *
 * @example
 *   new IndicatorFile('/srv/secops', 'threat_intel/iocs.csv', 64).read()  // Map { '1.1.1.2' => { ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' } }
 */
export class IndicatorFile {
  readonly path: string;
  readonly #file: string;
  readonly #maxBytes: number;
  #stamp: string | undefined;

  constructor(projectDir: string, path: string, maxSizeMb: number) {
    this.path = path;
    this.#file = resolve(projectDir, path);
    this.#maxBytes = maxSizeMb * MiB;
    const inside = relative(projectDir, this.#file);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new IndicatorFileError(`${path} is outside the project folder; "file" is relative to the project, inside it`);
  }

  /** The indicators by value, or undefined when the file is unchanged since the last read. */
  read(): ReadonlyMap<string, Indicator> | undefined {
    let fd: number;
    try {
      fd = openSync(this.#file, 'r');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new IndicatorFileError(missing ? `${this.path} not found ("file" in conf/threat_intel.json is relative to the project folder)` : `${this.path} cannot be read (${(error as Error).message})`);
    }
    try {
      const stats = fstatSync(fd);
      const stamp = `${stats.mtimeMs}:${stats.size}`;
      if (stamp === this.#stamp) return undefined;
      if (stats.size > this.#maxBytes) {
        throw new IndicatorFileError(`${this.path} is ${formatBytes(stats.size)}, over the limit of ${formatBytes(this.#maxBytes)} (max_size_mb ${this.#maxBytes / MiB}); raise max_size_mb, or use dynamodb_table_name`);
      }
      const bytes = Buffer.alloc(stats.size);
      let read = 0;
      for (let n = -1; n !== 0 && read < bytes.length; read += n) n = readSync(fd, bytes, read, bytes.length - read, read);
      const indicators = indicatorsOf(this.path, bytes.subarray(0, read).toString('utf8'));
      this.#stamp = stamp;
      return indicators;
    } finally {
      closeSync(fd);
    }
  }
}

function indicatorsOf(path: string, text: string): Map<string, Indicator> {
  let entries: unknown[];
  try {
    entries = path.toLowerCase().endsWith('.csv') ? parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) : JSON.parse(text);
  } catch (error) {
    throw new IndicatorFileError(`${path} cannot be parsed (${(error as Error).message}); it must be ${SHAPE}`);
  }
  if (!Array.isArray(entries)) throw new IndicatorFileError(`${path} must be ${SHAPE}`);
  const indicators = new Map<string, Indicator>();
  entries.forEach((entry, i) => {
    const where = path.toLowerCase().endsWith('.csv') ? `row ${i + 2}` : `entry ${i}`;
    if (!isPlainObject(entry) || typeof entry.ioc_value !== 'string' || entry.ioc_value === '') throw new IndicatorFileError(`${path}: ${where} has no ioc_value; it must be ${SHAPE}`);
    const text = (key: string) => (typeof entry[key] === 'string' && entry[key] !== '' ? { [key]: entry[key] as string } : {});
    // Keyed by value, a later entry replacing an earlier one, as a DynamoDB table keyed by ioc_value holds them.
    indicators.set(entry.ioc_value, Object.freeze({ ioc_value: entry.ioc_value, ...text('ioc_type'), ...text('sub_type') }));
  });
  return indicators;
}
