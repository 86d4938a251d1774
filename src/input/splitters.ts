import { isDeeperThan, MAX_RECORD_DEPTH } from './depth.ts';
import { describeJsonError } from './json-error.ts';
import { JsonValueScanner } from './json-scanner.ts';

/** Why an input record was rejected, as a run's summary counts them. */
export const REJECTIONS = {
  notJson: 'not valid JSON',
  tooLarge: 'larger than input.maxRecordBytes',
  tooDeep: `nested deeper than ${MAX_RECORD_DEPTH} levels`,
} as const;
export type Rejection = (typeof REJECTIONS)[keyof typeof REJECTIONS];

/** One record read from the input: its JSON value, or why it was rejected (the other records are read on). */
export type InputRecord =
  | { readonly ordinal: number; readonly value: unknown; readonly error?: undefined; readonly rejection?: undefined; readonly line?: undefined }
  | {
      readonly ordinal: number;
      /** What is wrong, naming where the record is. */
      readonly error: string;
      readonly rejection: Rejection;
      readonly value?: undefined;
      /** The 1-based line it is on, in NDJSON input. */
      readonly line?: number;
    };

/** How a splitter bounds and names records. */
export interface SplitLimits {
  /** A record larger than this is rejected without being held whole. */
  readonly maxRecordBytes: number;
  /** Named in messages (`line 3 of events.ndjson`), e.g. the file read. */
  readonly source?: string;
  /**
   * A line that is not JSON is a record of text (for csv, kv and syslog log types), as
   * StreamAlert reads each line of an S3 object: set when a schema has another parser than json.
   */
  readonly textLines?: boolean;
}

/** Turns text, fed chunk by chunk, into records; synchronous so a whole chunk costs one await upstream. */
export interface Splitter {
  /** The records completed by this chunk. */
  push(text: string): InputRecord[];
  /** No more text: the records still pending (or errors for what was cut off). */
  end(): InputRecord[];
  /** Nothing more can be read (a syntax error it cannot step over): the caller may stop reading. */
  readonly done: boolean;
}

/** Enough text to tell a CloudTrail-style `{"Records": [` opening from other objects. */
export const PREFIX_CHARS = 256;
export const ENVELOPE_OPENING = /^\{\s*"Records"\s*:\s*\[/;

/**
 * NDJSON: one JSON value per line; blank lines skipped; a bad line (not JSON, too large, too
 * deep) is a rejected record naming its line. A line longer than the limit is dropped as it
 * comes, up to its newline: memory holds at most one record's worth of a line.
 */
export class LineSplitter implements Splitter {
  readonly done = false;
  readonly #limits: SplitLimits;
  /** The start of the line cut by the chunk boundary. */
  #pending = '';
  /** The current line is over the limit: its text is dropped until its newline. */
  #skipping = false;
  #line = 0;
  #ordinal = 0;

  constructor(limits: SplitLimits) {
    this.#limits = limits;
  }

  push(text: string): InputRecord[] {
    const out: InputRecord[] = [];
    let from = 0;
    let newline = text.indexOf('\n');
    // Only the line cut by the chunk boundary is joined: joining whole chunks would copy every byte once more.
    if (this.#pending !== '' || this.#skipping) {
      if (newline === -1) {
        this.#hold(text);
        return out;
      }
      if (this.#skipping) this.#skipped(out);
      else this.#take(this.#pending + text.slice(0, newline), out);
      this.#pending = '';
      from = newline + 1;
      newline = text.indexOf('\n', from);
    }
    for (; newline !== -1; newline = text.indexOf('\n', from)) {
      this.#take(text.slice(from, newline), out);
      from = newline + 1;
    }
    this.#hold(text.slice(from));
    return out;
  }

  end(): InputRecord[] {
    const out: InputRecord[] = [];
    if (this.#skipping) this.#skipped(out);
    else if (this.#pending !== '') this.#take(this.#pending, out);
    this.#pending = '';
    return out;
  }

  /** Keeps the start of an unfinished line, unless it is already too long to be a record. */
  #hold(text: string): void {
    if (this.#skipping) return;
    this.#pending += text;
    if (this.#pending.length > this.#limits.maxRecordBytes) {
      this.#pending = '';
      this.#skipping = true;
    }
  }

  #skipped(out: InputRecord[]): void {
    this.#skipping = false;
    this.#line++;
    const line = this.#line;
    out.push({ ordinal: ++this.#ordinal, line, ...tooLarge(this.#where(line), this.#limits.maxRecordBytes) });
  }

  #take(line: string, out: InputRecord[]): void {
    this.#line++;
    if (isBlank(line)) return;
    const number = this.#line;
    const record = toRecord(++this.#ordinal, line, this.#limits.maxRecordBytes, () => this.#where(number));
    if (record.rejection === REJECTIONS.notJson && this.#limits.textLines) out.push({ ordinal: record.ordinal, value: line.endsWith('\r') ? line.slice(0, -1) : line });
    else out.push(record.error === undefined ? record : { ...record, line: number });
  }

  #where(line: number): string {
    return this.#limits.source === undefined ? `line ${line}` : `line ${line} of ${this.#limits.source}`;
  }
}

type State =
  /** Between top-level values. */
  | 'top'
  /** Just inside `[`: an element or `]`. */
  | 'array-open'
  /** After an element: `,` or `]`. */
  | 'array-after'
  /** After a comma: an element. */
  | 'array-element'
  /** After the Records list of an envelope: `}`. */
  | 'envelope-end'
  /** Scanning an array element. */
  | 'element'
  /** Scanning a top-level value. */
  | 'value'
  /** A syntax error we cannot step over: the rest is ignored. */
  | 'stopped';

/**
 * JSON documents one after another: a top-level array's elements are the records; so are the
 * Records of a CloudTrail-style `{"Records": [...]}` object, each handed on as
 * `{"Records": [element]}` so `json_path: "Records[*]"` schemas classify it as they would the
 * whole file; any other value is one record. Memory holds one record at a time, not the file,
 * and a record larger than the limit is rejected and scanned past without being held. Each
 * chunk is scanned once, however many chunks a record spans.
 */
export class DocumentSplitter implements Splitter {
  readonly #limits: SplitLimits;
  readonly #scanner = new JsonValueScanner();
  /** The text not consumed yet: the current chunk, after at most a few bytes kept from the one before. */
  #text = '';
  #pos = 0;
  #state: State = 'top';
  /** Where the value being scanned starts in #text (0 when it started in an earlier chunk). */
  #valueStart = 0;
  /** The earlier chunks' text of the value being scanned. */
  #pieces: string[] = [];
  #piecesLength = 0;
  /** The value being scanned is over the limit: its text is dropped as it is scanned. */
  #oversize = false;
  #envelope = false;
  #elements = 0;
  #ordinal = 0;

  constructor(limits: SplitLimits) {
    this.#limits = limits;
  }

  get done(): boolean {
    return this.#state === 'stopped';
  }

  push(text: string): InputRecord[] {
    const out: InputRecord[] = [];
    this.#run(text, out, false);
    return out;
  }

  end(): InputRecord[] {
    const out: InputRecord[] = [];
    this.#run('', out, true);
    if (this.#state === 'top' || this.#state === 'stopped') return out;
    const where = this.#state === 'value' ? 'a JSON value' : this.#state === 'envelope-end' ? 'a {"Records": [...]} object' : 'a JSON array';
    out.push({ ordinal: ++this.#ordinal, error: `${this.#limits.source ?? 'the input'} ends inside ${where}`, rejection: REJECTIONS.notJson });
    this.#state = 'stopped';
    return out;
  }

  /** Advances through the text as far as it allows. */
  #run(chunk: string, out: InputRecord[], atEnd: boolean): void {
    if (this.#state === 'stopped') return;
    // What the last chunk left unconsumed is at most a few bytes (an envelope's opening): a value in progress is in #pieces.
    const text = (this.#text = this.#text.slice(this.#pos) + chunk);
    this.#scanner.shift(this.#pos);
    this.#pos = 0;
    for (;;) {
      if (this.#state === 'value' || this.#state === 'element') {
        const end = this.#scanner.scan(text, atEnd);
        if (end === -1) return this.#keepPartial(text);
        const inArray: boolean = this.#state === 'element';
        if (inArray) this.#elements++;
        out.push(this.#record(text, end, inArray ? `array element ${this.#elements}` : undefined));
        this.#pos = end;
        this.#state = inArray ? 'array-after' : 'top';
        continue;
      }
      while (this.#pos < text.length && isSpace(text.charCodeAt(this.#pos))) this.#pos++;
      if (this.#pos >= text.length) return;
      const char = text.charCodeAt(this.#pos);
      switch (this.#state) {
        case 'top':
          if (char === OPEN_BRACKET) {
            this.#openArray(this.#pos + 1, false);
          } else if (char === OPEN_BRACE && text.length - this.#pos < PREFIX_CHARS && !atEnd) {
            return; // not enough text yet to tell an envelope
          } else if (char === OPEN_BRACE && ENVELOPE_OPENING.test(text.slice(this.#pos, this.#pos + PREFIX_CHARS))) {
            this.#openArray(text.indexOf('[', this.#pos) + 1, true);
          } else {
            this.#startValue('value');
          }
          break;
        case 'array-open':
          if (char === CLOSE_BRACKET) this.#closeArray();
          else this.#startValue('element');
          break;
        case 'array-after':
          if (char === CLOSE_BRACKET) this.#closeArray();
          else if (char === COMMA) {
            this.#pos++;
            this.#state = 'array-element';
          } else return this.#stop(out, `expected ',' or ']' after array element ${this.#elements}; reading stopped`);
          break;
        case 'array-element':
          this.#startValue('element');
          break;
        case 'envelope-end':
          if (char !== CLOSE_BRACE) return this.#stop(out, 'a {"Records": [...]} object must end after its Records list; reading stopped');
          this.#pos++;
          this.#state = 'top';
          break;
      }
    }
  }

  /** The chunk ended inside a value: keep its text for the next chunk, unless it is already too large to be a record. */
  #keepPartial(text: string): void {
    if (!this.#oversize) {
      this.#pieces.push(text.slice(this.#valueStart));
      this.#piecesLength += text.length - this.#valueStart;
      if (this.#piecesLength > this.#limits.maxRecordBytes) {
        this.#oversize = true;
        this.#pieces = [];
      }
    }
    this.#pos = text.length;
    this.#valueStart = 0;
  }

  #openArray(pos: number, envelope: boolean): void {
    this.#pos = pos;
    this.#envelope = envelope;
    this.#elements = 0;
    this.#state = 'array-open';
  }

  #closeArray(): void {
    this.#pos++;
    this.#state = this.#envelope ? 'envelope-end' : 'top';
  }

  #startValue(state: 'value' | 'element'): void {
    this.#scanner.reset(this.#pos);
    this.#valueStart = this.#pos;
    this.#state = state;
  }

  /** The value that ends at `end` in `text` (and began in #pieces, if it spans chunks), as a record. */
  #record(text: string, end: number, element: string | undefined): InputRecord {
    const ordinal = ++this.#ordinal;
    const where = () => this.#source(element ?? `record ${ordinal}`);
    const { maxRecordBytes } = this.#limits;
    const length = this.#piecesLength + end - this.#valueStart;
    const oversize = this.#oversize || length > maxRecordBytes;
    const json = oversize ? '' : this.#pieces.length === 0 ? text.slice(this.#valueStart, end) : this.#pieces.join('') + text.slice(0, end);
    this.#pieces = [];
    this.#piecesLength = 0;
    this.#oversize = false;
    if (oversize) return { ordinal, ...tooLarge(where(), maxRecordBytes) };
    const record = toRecord(ordinal, json, maxRecordBytes, where);
    if (record.error !== undefined || !(element && this.#envelope)) return record;
    return { ordinal, value: { Records: [record.value] } };
  }

  /** `array element 3 of cloudtrail.json`: a place in the input, with the input's name when it has one. */
  #source(place: string): string {
    return this.#limits.source === undefined ? place : `${place} of ${this.#limits.source}`;
  }

  #stop(out: InputRecord[], error: string): void {
    out.push({ ordinal: ++this.#ordinal, error: this.#limits.source === undefined ? error : `${this.#limits.source}: ${error}`, rejection: REJECTIONS.notJson });
    this.#state = 'stopped';
  }
}

/**
 * The record in `json`: its value, or why it is rejected (too large, not JSON, too deep).
 * `where` names it in messages, and is called only for a rejected record.
 */
function toRecord(ordinal: number, json: string, maxRecordBytes: number, where: () => string): InputRecord {
  if (isLargerThan(json, maxRecordBytes)) return { ordinal, ...tooLarge(where(), maxRecordBytes) };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ordinal, error: `${where()} is not valid JSON (${describeJsonError(error, json)})`, rejection: REJECTIONS.notJson };
  }
  if (isDeeperThan(value, MAX_RECORD_DEPTH)) {
    return { ordinal, error: `${where()} nests objects or lists deeper than ${MAX_RECORD_DEPTH} levels: skipped (no log needs as many)`, rejection: REJECTIONS.tooDeep };
  }
  return { ordinal, value };
}

function tooLarge(where: string, maxRecordBytes: number): { error: string; rejection: Rejection } {
  return {
    error: `${where} is larger than ${maxRecordBytes} bytes: skipped (input.maxRecordBytes in conf/global.json sets the limit)`,
    rejection: REJECTIONS.tooLarge,
  };
}

/** Whether `text` takes more than `maxBytes` in UTF-8; counted only when its length cannot tell (a UTF-16 unit is 1 to 3 UTF-8 bytes). */
function isLargerThan(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  return text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}
