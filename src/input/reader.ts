import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { DocumentSplitter, ENVELOPE_OPENING, LineSplitter, PREFIX_CHARS, type InputRecord, type Splitter } from './splitters.ts';

export type { InputRecord } from './splitters.ts';

/** Bytes read at a time from a file: larger chunks mean fewer string joins. */
const CHUNK_BYTES = 1 << 20;

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
 * the chunk size and the largest record. Formats, told apart by how the input opens:
 * - NDJSON, one record per line (blank lines skipped; a bad line is an error record naming
 *   its line, and reading goes on): when the first line parses on its own;
 * - a JSON array of records (or several arrays);
 * - a CloudTrail-style file `{"Records": [...]}`: each element comes as `{"Records": [element]}`,
 *   so schemas with `json_path: "Records[*]"` classify it as they would the whole file;
 * - pretty-printed JSON objects, one after another;
 * - any of these gzip-compressed (CloudTrail delivers .json.gz).
 *
 * @example
 *   for await (const batch of readRecordBatches(openInput('-'))) {
 *     for (const item of batch) pipeline.processInput(item);
 *   }
 */
export async function* readRecordBatches(input: AsyncIterable<Buffer | string>): AsyncGenerator<InputRecord[]> {
  let splitter: Splitter | undefined;
  let head = '';
  for await (const text of decodeText(input)) {
    if (splitter) {
      const batch = splitter.push(text);
      if (batch.length > 0) yield batch;
      continue;
    }
    head += text;
    const format = detectFormat(head, false);
    if (format === undefined) continue;
    splitter = format === 'lines' ? new LineSplitter() : new DocumentSplitter();
    const batch = splitter.push(head);
    head = '';
    if (batch.length > 0) yield batch;
  }
  if (!splitter) {
    const format = detectFormat(head, true);
    if (format === undefined) return;
    splitter = format === 'lines' ? new LineSplitter() : new DocumentSplitter();
    const batch = splitter.push(head);
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
export async function* readRecords(input: AsyncIterable<Buffer | string>): AsyncGenerator<InputRecord> {
  for await (const batch of readRecordBatches(input)) yield* batch;
}

/**
 * NDJSON when the first non-blank line parses alone and is not a `{"Records": [` envelope;
 * JSON documents otherwise. Undefined: not enough text yet (or none at all, at the end).
 */
function detectFormat(text: string, atEnd: boolean): 'lines' | 'documents' | undefined {
  const start = text.search(/\S/);
  if (start === -1) return undefined;
  const opening = text[start];
  if (opening === '[') return 'documents';
  if (opening !== '{') return 'lines';
  if (text.length - start < PREFIX_CHARS && !atEnd) return undefined;
  if (ENVELOPE_OPENING.test(text.slice(start, start + PREFIX_CHARS))) return 'documents';
  const newline = text.indexOf('\n', start);
  if (newline === -1 && !atEnd) return undefined;
  return parses(text.slice(start, newline === -1 ? undefined : newline)) ? 'lines' : 'documents';
}

/** Bytes to text: gunzips when the input starts with gzip's magic bytes, keeps split UTF-8 characters whole, drops a BOM. */
async function* decodeText(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
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
  const source: AsyncIterable<Buffer | string> = gzipped
    ? Readable.from(prepend(head, rest)).pipe(createGunzip({ chunkSize: CHUNK_BYTES }))
    : prepend(head, rest);
  const decoder = new StringDecoder('utf8');
  let started = false;
  for await (const chunk of source) {
    let piece = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (!started && piece !== '') {
      started = true;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    if (piece !== '') yield piece;
  }
  const tail = decoder.end();
  if (tail !== '') yield tail;
}

async function* prepend<T>(head: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield head;
  yield* rest;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
