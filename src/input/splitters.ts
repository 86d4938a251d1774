import { JsonValueScanner } from './json-scanner.ts';

/** One record read from the input: its JSON value, or why it is not valid JSON. */
export type InputRecord =
  | { readonly ordinal: number; readonly value: unknown; readonly error?: undefined }
  | {
      readonly ordinal: number;
      readonly error: string;
      readonly value?: undefined;
      /** The 1-based line it is on, in NDJSON input. */
      readonly line?: number;
    };

/** Turns text, fed chunk by chunk, into records; synchronous so a whole chunk costs one await upstream. */
export interface Splitter {
  /** The records completed by this chunk. */
  push(text: string): InputRecord[];
  /** No more text: the records still pending (or errors for what was cut off). */
  end(): InputRecord[];
}

/** Enough text to tell a CloudTrail-style `{"Records": [` opening from other objects. */
export const PREFIX_CHARS = 256;
export const ENVELOPE_OPENING = /^\{\s*"Records"\s*:\s*\[/;

/** NDJSON: one JSON value per line; blank lines skipped; a bad line is an error record naming its line. */
export class LineSplitter implements Splitter {
  #pending = '';
  #line = 0;
  #ordinal = 0;

  push(text: string): InputRecord[] {
    const out: InputRecord[] = [];
    let from = 0;
    let newline = text.indexOf('\n');
    // Only the line cut by the chunk boundary is joined: joining whole chunks would copy every byte once more.
    if (this.#pending !== '') {
      if (newline === -1) {
        this.#pending += text;
        return out;
      }
      this.#take(this.#pending + text.slice(0, newline), out);
      from = newline + 1;
      newline = text.indexOf('\n', from);
    }
    for (; newline !== -1; newline = text.indexOf('\n', from)) {
      this.#take(text.slice(from, newline), out);
      from = newline + 1;
    }
    this.#pending = text.slice(from);
    return out;
  }

  end(): InputRecord[] {
    const out: InputRecord[] = [];
    if (this.#pending !== '') this.#take(this.#pending, out);
    this.#pending = '';
    return out;
  }

  #take(line: string, out: InputRecord[]): void {
    this.#line++;
    if (isBlank(line)) return;
    const ordinal = ++this.#ordinal;
    try {
      out.push({ ordinal, value: JSON.parse(line) });
    } catch (error) {
      out.push({ ordinal, line: this.#line, error: `line ${this.#line} is not valid JSON (${(error as Error).message})` });
    }
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
 * whole file; any other value is one record. Memory holds one record at a time, not the file.
 */
export class DocumentSplitter implements Splitter {
  readonly #scanner = new JsonValueScanner();
  #text = '';
  #pos = 0;
  #state: State = 'top';
  #envelope = false;
  #elements = 0;
  #ordinal = 0;

  push(text: string): InputRecord[] {
    this.#text = this.#pos === 0 ? this.#text + text : this.#text.slice(this.#pos) + text;
    this.#scanner.shift(this.#pos);
    this.#pos = 0;
    const out: InputRecord[] = [];
    this.#run(out, false);
    return out;
  }

  end(): InputRecord[] {
    const out: InputRecord[] = [];
    this.#run(out, true);
    if (this.#state === 'top' || this.#state === 'stopped') return out;
    const where = this.#state === 'value' ? 'a JSON value' : this.#state === 'envelope-end' ? 'a {"Records": [...]} object' : 'a JSON array';
    out.push({ ordinal: ++this.#ordinal, error: `the input ends inside ${where}` });
    this.#state = 'stopped';
    return out;
  }

  /** Advances through the text as far as it allows. */
  #run(out: InputRecord[], atEnd: boolean): void {
    const text = this.#text;
    for (;;) {
      if (this.#state === 'stopped') return;
      if (this.#state === 'value' || this.#state === 'element') {
        const start = this.#pos;
        const end = this.#scanner.scan(text, atEnd);
        if (end === -1) return;
        this.#pos = end;
        const inArray = this.#state === 'element';
        if (inArray) this.#elements++;
        out.push(this.#record(text.slice(start, end), inArray ? `array element ${this.#elements}` : undefined));
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
    this.#state = state;
  }

  #record(text: string, element: string | undefined): InputRecord {
    const ordinal = ++this.#ordinal;
    try {
      const value: unknown = JSON.parse(text);
      return { ordinal, value: element && this.#envelope ? { Records: [value] } : value };
    } catch (error) {
      return { ordinal, error: `${element ?? `record ${ordinal}`} is not valid JSON (${(error as Error).message})` };
    }
  }

  #stop(out: InputRecord[], error: string): void {
    out.push({ ordinal: ++this.#ordinal, error });
    this.#state = 'stopped';
  }
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
