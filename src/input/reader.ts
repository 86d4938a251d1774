import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { InputConfigSchema, type InputConfig } from './config.ts';
import { InputError } from './errors.ts';
import { FormatDetector, type Format } from './format.ts';
import { DocumentSplitter, LineSplitter, type InputRecord, type SplitLimits, type Splitter } from './splitters.ts';

export type { InputRecord } from './splitters.ts';

/** Bytes read at a time from a file: larger chunks mean fewer string joins. */
const CHUNK_BYTES = 1 << 20;
/** The opening checked for NUL bytes, which JSON text never holds: binary input is refused there, not read to its end. */
const PROBE_CHARS = 4096;
const DEFAULT_LIMITS: InputConfig = InputConfigSchema.parse({});

/** How records are read: the limits of conf/global.json `input` (defaults: InputConfigSchema's), and a name for messages. */
export interface ReadOptions extends Partial<InputConfig> {
  /** Named in messages, e.g. the file: `line 3 of events.ndjson is larger than ...`. */
  readonly source?: string;
  /** Lines that are not JSON come as text records (csv, kv and syslog log types): see SplitLimits. */
  readonly textLines?: boolean;
}

/**
 * The input of `streamalert run`: a file path, or `-` for standard input.
 *
 * @example
 *   for await (const batch of readRecordBatches(openInput('cloudtrail.json.gz'))) ...
 */
export function openInput(path: string): AsyncIterable<Buffer | string> {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

/**
 * Streams the records of an input, in order, a batch per chunk read, with memory bounded by
 * the chunk size and `maxRecordBytes`. Formats, told apart by how the input opens:
 * - NDJSON, one record per line (blank lines skipped): when the first line parses on its own;
 * - a JSON array of records (or several arrays);
 * - a CloudTrail-style file `{"Records": [...]}`: each element comes as `{"Records": [element]}`,
 *   so schemas with `json_path: "Records[*]"` classify it as they would the whole file;
 * - pretty-printed JSON objects, one after another;
 * - any of these gzip-compressed (CloudTrail delivers .json.gz), up to `maxInflatedBytes` inflated.
 * A record that is not JSON, larger than `maxRecordBytes` or nested deeper than MAX_RECORD_DEPTH
 * comes as a rejected record naming its place, and reading goes on. An input that cannot be
 * read on (binary, broken gzip, inflating past the limit) throws InputError after the records
 * before that point.
 *
 * @example
 *   for await (const batch of readRecordBatches(openInput('-'), { ...project.global.input, source: 'standard input' })) {
 *     for (const item of batch) pipeline.processInput(item);
 *   }
 */
export async function* readRecordBatches(input: AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<InputRecord[]> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_LIMITS.maxRecordBytes;
  const maxInflatedBytes = options.maxInflatedBytes ?? DEFAULT_LIMITS.maxInflatedBytes;
  const limits: SplitLimits = { maxRecordBytes, source: options.source, textLines: options.textLines };
  const detector = new FormatDetector(maxRecordBytes);
  let splitter: Splitter | undefined;
  for await (let text of decodeText(input, maxInflatedBytes, options.source)) {
    if (!splitter) {
      const format = detector.push(text);
      if (format === undefined) continue;
      splitter = splitterFor(format, limits);
      text = detector.take();
    }
    const batch = splitter.push(text);
    if (batch.length > 0) yield batch;
    // Past a syntax error nothing more is read: the rest of a large input would be read for nothing.
    if (splitter.done) return;
  }
  if (!splitter) {
    const format = detector.end();
    if (format === undefined) return;
    splitter = splitterFor(format, limits);
    const batch = splitter.push(detector.take());
    if (batch.length > 0) yield batch;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

/**
 * The records of an input one by one (see readRecordBatches, which is faster for large inputs).
 *
 * @example
 *   for await (const item of readRecords(process.stdin)) {
 *     if (item.error !== undefined) console.error(`record ${item.ordinal}: ${item.error}`);
 *   }
 */
export async function* readRecords(input: AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<InputRecord> {
  for await (const batch of readRecordBatches(input, options)) yield* batch;
}

function splitterFor(format: Format, limits: SplitLimits): Splitter {
  return format === 'lines' ? new LineSplitter(limits) : new DocumentSplitter(limits);
}

/**
 * Bytes to text: gunzips when the input starts with gzip's magic bytes (up to `maxInflatedBytes`),
 * keeps split UTF-8 characters whole, drops a BOM, and refuses binary input (a NUL byte in the opening).
 */
async function* decodeText(input: AsyncIterable<Buffer | string>, maxInflatedBytes: number, source = 'the input'): AsyncGenerator<string> {
  const iterator = input[Symbol.asyncIterator]();
  // gzip's magic is two bytes, and a stream may hand them over one at a time.
  let head: Buffer | string = Buffer.alloc(0);
  while (typeof head !== 'string' && head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = typeof next.value === 'string' && head.length === 0 ? next.value : Buffer.concat([head, Buffer.from(next.value)]);
  }
  if (head.length === 0) return;
  const rest: AsyncIterable<Buffer | string> = { [Symbol.asyncIterator]: () => iterator };
  const gzipped = typeof head !== 'string' && head[0] === 0x1f && head[1] === 0x8b;
  const bytes = prepend(head, rest);
  const chunks = gzipped ? gunzipped(bytes, maxInflatedBytes, source) : bytes;
  const decoder = new StringDecoder('utf8');
  let probed = 0;
  for await (const chunk of chunks) {
    let piece = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (piece === '') continue;
    if (probed === 0 && piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    if (probed < PROBE_CHARS) {
      const nul = piece.slice(0, PROBE_CHARS - probed).indexOf('\0');
      if (nul !== -1) throw notText(source, probed + nul);
      probed += piece.length;
    }
    if (piece !== '') yield piece;
  }
  const tail = decoder.end();
  if (tail !== '') yield tail;
}

/** One layer of gzip inflated, up to `maxInflatedBytes`; broken gzip and too much of it are InputErrors. */
async function* gunzipped(compressed: AsyncIterable<Buffer | string>, maxInflatedBytes: number, source: string): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipeline hands a failure on either side (reading the input, the data not gzip) to the reader of `gunzip`.
  pipeline(Readable.from(compressed), gunzip, () => {});
  let inflated = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > maxInflatedBytes) {
        throw new InputError(
          `${source} inflates to more than ${maxInflatedBytes} bytes (input.maxInflatedBytes in conf/global.json): a gzip bomb, or an archive larger ` +
            'than any log file; unpack it and pipe it in (zcat FILE | streamalert run --input -), or raise the limit',
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (isZlibError(error)) throw new InputError(`${source} is not valid gzip (${error.message}): a truncated or damaged file`, { cause: error });
    throw error;
  } finally {
    gunzip.destroy();
  }
}

function notText(source: string, at: number): InputError {
  return new InputError(
    `${source} is not JSON text: it holds a NUL byte (character ${at + 1}), so it is binary, UTF-16, or compressed some other way than gzip; ` +
      'give NDJSON, JSON or CloudTrail files (UTF-8), plain or gzip',
  );
}

function isZlibError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('Z_');
}

async function* prepend<T>(head: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield head;
  yield* rest;
}
