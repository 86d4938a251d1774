import { ENVELOPE_OPENING, PREFIX_CHARS } from './splitters.ts';

/** How an input holds its records: NDJSON lines, or JSON documents (arrays, `{"Records": [...]}`, objects). */
export type Format = 'lines' | 'documents';

/**
 * Tells an input's format from its opening, fed chunk by chunk. It looks at the first line
 * only, and at most `maxRecordChars` of it: a longer first line is an oversize NDJSON record,
 * which the line splitter rejects before reading on. Each chunk is searched once, so telling
 * costs time in proportion to the text held, however small the chunks.
 *
 * - NDJSON when the first non-blank line parses alone and is not a `{"Records": [` envelope;
 * - JSON documents otherwise.
 *
 * @example
 *   const detector = new FormatDetector(1_048_576);
 *   const format = detector.push(chunk) ?? detector.end();  // then splitter.push(detector.take())
 */
export class FormatDetector {
  readonly #maxRecordChars: number;
  #chunks: string[] = [];
  #length = 0;
  /** Index of the first non-blank character, and the character. */
  #start = -1;
  #opening = '';
  /** Index of the first newline after #start. */
  #newline = -1;
  #envelopeChecked = false;

  constructor(maxRecordChars: number) {
    this.#maxRecordChars = maxRecordChars;
  }

  /** Adds a chunk; the format once it can be told, else undefined (more text needed). */
  push(text: string): Format | undefined {
    const offset = this.#length;
    this.#chunks.push(text);
    this.#length += text.length;
    if (this.#start === -1) {
      const first = text.search(/\S/);
      if (first === -1) return undefined;
      this.#start = offset + first;
      this.#opening = text[first]!;
    }
    if (this.#newline === -1) {
      const newline = text.indexOf('\n', Math.max(0, this.#start - offset));
      if (newline !== -1) this.#newline = offset + newline;
    }
    return this.#decide(false);
  }

  /** No more text: the format, or undefined for an input with nothing but blanks. */
  end(): Format | undefined {
    return this.#decide(true);
  }

  /** The text pushed so far, for the splitter; the detector is empty after. */
  take(): string {
    const text = this.#joined();
    this.#chunks = [];
    return text;
  }

  #decide(atEnd: boolean): Format | undefined {
    if (this.#start === -1) return undefined;
    if (this.#opening === '[') return 'documents';
    if (this.#opening !== '{') return 'lines';
    const held = this.#length - this.#start;
    if (!this.#envelopeChecked) {
      // The first 256 characters, not the first line: a pretty-printed envelope opens `{\n  "Records": [`.
      if (held < PREFIX_CHARS && !atEnd) return undefined;
      this.#envelopeChecked = true;
      if (ENVELOPE_OPENING.test(this.#joined().slice(this.#start, this.#start + PREFIX_CHARS))) return 'documents';
    }
    if (this.#newline !== -1) return parses(this.#joined().slice(this.#start, this.#newline)) ? 'lines' : 'documents';
    if (held > this.#maxRecordChars) return 'lines';
    if (atEnd) return parses(this.#joined().slice(this.#start)) ? 'lines' : 'documents';
    return undefined;
  }

  /** The chunks as one string; joined at most once per decision step, never per chunk. */
  #joined(): string {
    if (this.#chunks.length > 1) this.#chunks = [this.#chunks.join('')];
    return this.#chunks[0] ?? '';
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
