import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { JsonValueScanner } from './json-scanner.ts';

/** One record read from the input: its JSON value, or why it is not valid JSON. */
export type InputRecord =
  | { readonly ordinal: number; readonly value: unknown; readonly error?: undefined }
  | { readonly ordinal: number; readonly error: string; readonly value?: undefined };

/** Bytes read at a time from a file: larger chunks mean fewer string joins. */
const CHUNK_BYTES = 1 << 20;
/** Enough text to tell a CloudTrail-style `{"Records": [` opening from other objects. */
const PREFIX_CHARS = 256;
const ENVELOPE_OPENING = /^\{\s*"Records"\s*:\s*\[/;

/**
 * The input of `streamalert run`: a file path, or `-` for standard input.
 *
 * @example
 *   for await (const item of readRecords(openInput('cloudtrail.json.gz'))) ...
 */
export function openInput(path: string): AsyncIterable<Buffer | string> {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

/**
 * Streams the records of an input, in order, with memory bounded by the largest record:
 * - NDJSON, one record per line (blank lines skipped; a bad line is an error record naming
 *   its line, and reading goes on);
 * - a JSON array of records, or several;
 * - a CloudTrail-style file `{"Records": [...]}`: each element comes as `{"Records": [element]}`,
 *   so schemas with `json_path: "Records[*]"` classify it as they would the whole file;
 * - pretty-printed JSON objects, one after another;
 * - any of these gzip-compressed (CloudTrail delivers .json.gz).
 *
 * @example
 *   for await (const item of readRecords(process.stdin)) {
 *     if (item.error !== undefined) console.error(`record ${item.ordinal}: ${item.error}`);
 *     else handle(item.value);
 *   }
 */
export async function* readRecords(input: AsyncIterable<Buffer | string>): AsyncGenerator<InputRecord> {
  const chunks = decodeText(input)[Symbol.asyncIterator]();
  let text = '';
  let atEnd = false;
  const more = async (): Promise<boolean> => {
    if (atEnd) return false;
    const next = await chunks.next();
    if (next.done) {
      atEnd = true;
      return false;
    }
    text += next.value;
    return true;
  };

  // Decide the format from the opening: a first line that parses alone means NDJSON.
  for (;;) {
    const start = text.search(/\S/);
    if (start === -1) {
      if (await more()) continue;
      return;
    }
    const opening = text.charCodeAt(start);
    if (opening === 0x7b /* { */) {
      if (text.length - start < PREFIX_CHARS && (await more())) continue;
      if (ENVELOPE_OPENING.test(text.slice(start, start + PREFIX_CHARS))) break;
      const newline = text.indexOf('\n', start);
      if (newline === -1 && (await more())) continue;
      const firstLine = text.slice(start, newline === -1 ? text.length : newline);
      if (!parses(firstLine)) break;
    } else if (opening === 0x5b /* [ */) {
      break;
    }
    yield* readLines(text, more, () => text, (rest) => (text = rest));
    return;
  }
  yield* readDocuments(text, more, () => text, (rest) => (text = rest));
}

type More = () => Promise<boolean>;

/** NDJSON: one JSON value per line. */
async function* readLines(initial: string, more: More, current: () => string, keep: (rest: string) => void): AsyncGenerator<InputRecord> {
  let ordinal = 0;
  let line = 0;
  let text = initial;
  let from = 0;
  for (;;) {
    const newline = text.indexOf('\n', from);
    if (newline === -1) {
      keep(text.slice(from));
      const gotMore = await more();
      text = current();
      from = 0;
      if (gotMore) continue;
      if (text === '') return;
    }
    const end = newline === -1 ? text.length : newline;
    const raw = text.slice(from, end);
    from = end + 1;
    line++;
    if (isBlank(raw)) {
      if (newline === -1) return;
      continue;
    }
    ordinal++;
    try {
      yield { ordinal, value: JSON.parse(raw) };
    } catch (error) {
      yield { ordinal, error: `line ${line} is not valid JSON (${(error as Error).message})` };
    }
    if (newline === -1) return;
  }
}

/**
 * JSON documents: arrays (their elements are the records), CloudTrail-style envelopes
 * (their Records are), and other values (each is a record), one after another.
 */
async function* readDocuments(initial: string, more: More, current: () => string, keep: (rest: string) => void): AsyncGenerator<InputRecord> {
  const scanner = new JsonValueScanner();
  let text = initial;
  let pos = 0;
  let ordinal = 0;
  /** Drops what was consumed and waits for more text; false at the end of the input. */
  const refill = async (): Promise<boolean> => {
    keep(text.slice(pos));
    scanner.shift(pos);
    const gotMore = await more();
    text = current();
    pos = 0;
    return gotMore;
  };
  const skipSpace = async (): Promise<boolean> => {
    for (;;) {
      while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
      if (pos < text.length) return true;
      if (!(await refill())) return false;
    }
  };
  /** Scans the value at `pos`; returns its text, or undefined when the input ends inside it. */
  const nextValue = async (): Promise<string | undefined> => {
    scanner.reset(pos);
    for (;;) {
      const end = scanner.scan(text, false);
      if (end !== -1) {
        const value = text.slice(pos, end);
        pos = end;
        return value;
      }
      if (!(await refill())) {
        const last = scanner.scan(text, true);
        if (last === -1) return undefined;
        const value = text.slice(pos, last);
        pos = last;
        return value;
      }
    }
  };

  while (await skipSpace()) {
    const opening = text.charCodeAt(pos);
    if (opening === 0x5b /* [ */ || (opening === 0x7b /* { */ && (await envelopeAhead()))) {
      const envelope = opening === 0x7b;
      pos = envelope ? text.indexOf('[', pos) + 1 : pos + 1;
      let index = 0;
      for (;;) {
        if (!(await skipSpace())) return yield { ordinal: ordinal + 1, error: 'the input ends inside a JSON array' };
        const char = text.charCodeAt(pos);
        if (char === 0x5d /* ] */) {
          pos++;
          break;
        }
        if (index > 0) {
          if (char !== 0x2c /* , */) return yield { ordinal: ordinal + 1, error: `expected ',' or ']' after array element ${index}; reading stopped` };
          pos++;
          if (!(await skipSpace())) return yield { ordinal: ordinal + 1, error: 'the input ends inside a JSON array' };
        }
        const element = await nextValue();
        if (element === undefined) return yield { ordinal: ordinal + 1, error: `the input ends inside array element ${index + 1}` };
        index++;
        ordinal++;
        yield parseRecord(element, ordinal, `array element ${index}`, envelope);
      }
      if (envelope) {
        if (!(await skipSpace()) || text.charCodeAt(pos) !== 0x7d /* } */) {
          return yield { ordinal: ordinal + 1, error: 'a {"Records": [...]} object must end after its Records list; reading stopped' };
        }
        pos++;
      }
      continue;
    }
    const value = await nextValue();
    ordinal++;
    if (value === undefined) return yield { ordinal, error: 'the input ends inside a JSON value' };
    yield parseRecord(value, ordinal, `record ${ordinal}`, false);
  }

  /** True when an object opening at `pos` is `{"Records": [`. */
  async function envelopeAhead(): Promise<boolean> {
    while (text.length - pos < PREFIX_CHARS && (await refill()));
    return ENVELOPE_OPENING.test(text.slice(pos, pos + PREFIX_CHARS));
  }
}

function parseRecord(text: string, ordinal: number, where: string, envelope: boolean): InputRecord {
  try {
    const value: unknown = JSON.parse(text);
    return { ordinal, value: envelope ? { Records: [value] } : value };
  } catch (error) {
    return { ordinal, error: `${where} is not valid JSON (${(error as Error).message})` };
  }
}

/** Bytes to text: gunzips when the input starts with gzip's magic bytes, keeps split UTF-8 characters whole, drops a BOM. */
async function* decodeText(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
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

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}
