/**
 * Finds where one JSON value ends in text that arrives in pieces, without parsing it: it tracks
 * only strings and bracket depth, jumping between interesting characters with native regex
 * search. The caller slices the value out and hands it to JSON.parse, which stays the only
 * parser. State survives between calls, and a call that finds no end has examined all of its
 * text: the caller may keep only the new text for the next call (after `shift`), so a value
 * split over many chunks is scanned once, however long.
 */
export class JsonValueScanner {
  #depth = 0;
  #inString = false;
  /** A backslash ended the last text: the character it escapes starts the next one. */
  #escapePending = false;
  #started = false;
  #literal = false;
  /** Where scanning resumes, relative to the text passed in. */
  #pos = 0;

  /** Forget the value in progress and scan a new one from `start`. */
  reset(start: number): void {
    this.#depth = 0;
    this.#inString = false;
    this.#escapePending = false;
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
   * end, or -1 when the text ends first (call again with more text). `atEnd` says no more text
   * will come, which ends a bare number or literal at the end of the input.
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
    if (this.#escapePending) {
      if (pos >= text.length) return this.#suspend(text.length);
      this.#escapePending = false;
      pos++;
    }
    for (;;) {
      if (this.#inString) {
        STRING_STOP.lastIndex = pos;
        const match = STRING_STOP.exec(text);
        if (!match) return this.#suspend(text.length);
        if (match[0] === '\\') {
          // An escape: skip the escaped character, which may be in the next text.
          pos = match.index + 2;
          if (pos > text.length) {
            this.#escapePending = true;
            return this.#suspend(text.length);
          }
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
    return atEnd ? this.#finish(text.length) : this.#suspend(text.length);
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
