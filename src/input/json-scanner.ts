/**
 * Finds where one JSON value ends in text that arrives in pieces, without parsing it: it tracks
 * only strings and bracket depth, jumping between interesting characters with native regex
 * search. The caller slices the value out and hands it to JSON.parse, which stays the only
 * parser. State survives between calls, so a value split over many chunks is scanned once.
 */
export class JsonValueScanner {
  #depth = 0;
  #inString = false;
  #started = false;
  #literal = false;
  /** Where scanning resumes, relative to the text passed in. */
  #pos = 0;

  /** Forget the value in progress and scan a new one from `start`. */
  reset(start: number): void {
    this.#depth = 0;
    this.#inString = false;
    this.#started = false;
    this.#literal = false;
    this.#pos = start;
  }

  /** The text before `offset` was dropped by the caller: shift positions to match. */
  shift(offset: number): void {
    this.#pos -= offset;
  }

  /**
   * Scans the value starting at the position given to `reset`. Returns the index just past its
   * end, or -1 when the text ends first (call again with more text appended). `atEnd` says no
   * more text will come, which ends a bare number or literal at the end of the input.
   */
  scan(text: string, atEnd: boolean): number {
    if (!this.#started) {
      const first = text.charCodeAt(this.#pos);
      if (Number.isNaN(first)) return -1;
      this.#started = true;
      this.#literal = first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE;
    }
    return this.#literal ? this.#scanLiteral(text, atEnd) : this.#scanNested(text);
  }

  #scanNested(text: string): number {
    let pos = this.#pos;
    for (;;) {
      if (this.#inString) {
        STRING_STOP.lastIndex = pos;
        const match = STRING_STOP.exec(text);
        if (!match) return this.#suspend(text.length);
        if (match[0] === '\\') {
          // An escape: skip the escaped character, which may be in the next chunk.
          if (match.index + 1 >= text.length) return this.#suspend(match.index);
          pos = match.index + 2;
          continue;
        }
        this.#inString = false;
        pos = match.index + 1;
        if (this.#depth === 0) return this.#finish(pos);
        continue;
      }
      STRUCTURE.lastIndex = pos;
      const match = STRUCTURE.exec(text);
      if (!match) return this.#suspend(text.length);
      pos = match.index + 1;
      const char = match[0];
      if (char === '"') this.#inString = true;
      else if (char === '{' || char === '[') this.#depth++;
      else if (--this.#depth === 0) return this.#finish(pos);
    }
  }

  /** Numbers, true, false, null: they end at whitespace or a delimiter. */
  #scanLiteral(text: string, atEnd: boolean): number {
    LITERAL_END.lastIndex = this.#pos;
    const match = LITERAL_END.exec(text);
    if (match) return this.#finish(match.index);
    return atEnd ? this.#finish(text.length) : this.#suspend(this.#pos);
  }

  #suspend(pos: number): number {
    this.#pos = pos;
    return -1;
  }

  #finish(end: number): number {
    this.#pos = end;
    return end;
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const QUOTE = 0x22;
const STRUCTURE = /["{}[\]]/g;
const STRING_STOP = /["\\]/g;
const LITERAL_END = /[\s,\]}]/g;
