/**
 * A tokenizer for the Python of StreamAlert rule and matcher files, enough to read decorators,
 * imports and where each function starts and ends. It never executes anything: the Python is
 * text. Strings are decoded (escapes, raw and byte prefixes, implicit line joins in brackets);
 * f-strings are kept as `fstring` tokens, since their value is code.
 */

export type TokenKind = 'name' | 'number' | 'string' | 'fstring' | 'op' | 'newline' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token. */
  readonly text: string;
  /** For strings: the decoded value. */
  readonly value?: string;
  /** 1-based line and 0-based column of the token's first character. */
  readonly line: number;
  readonly column: number;
  /** Offsets of the token in the source, for quoting source spans. */
  readonly start: number;
  readonly end: number;
  /** True for the first token of a logical line (its column is the line's indentation). */
  readonly lineStart: boolean;
}

export class PythonSyntaxError extends Error {
  override readonly name = 'PythonSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** A rule file is a few kilobytes; this many tokens is a file no one wrote by hand. */
export const MAX_TOKENS = 500_000;

const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];
const SINGLE = '()[]{},:.;@=+-*/%&|^~<>!';
const OPEN = '([{';
const CLOSE = ')]}';
const PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

/**
 * Splits Python source into tokens, ending with one `end` token. Comments and blank lines give
 * none; a `newline` ends each logical line (not inside brackets, not after a backslash).
 *
 * @example
 *   tokenize("@rule(logs=['duo:authentication'])\n").map((t) => t.text)
 *   // ['@', 'rule', '(', 'logs', '=', '[', "'duo:authentication'", ']', ')', '\n', '']
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineOffset = 0;
  let depth = 0;
  /** The line of each bracket still open: one never closed is reported where it opened. */
  const openedAt: number[] = [];
  let atLineStart = true;
  const push = (kind: TokenKind, start: number, startLine: number, startColumn: number, value?: string) => {
    if (tokens.length >= MAX_TOKENS) throw new PythonSyntaxError(`more than ${MAX_TOKENS.toLocaleString('en-US')} tokens`, startLine);
    tokens.push({ kind, text: source.slice(start, i), ...(value !== undefined && { value }), line: startLine, column: startColumn, start, end: i, lineStart: atLineStart && kind !== 'newline' });
    if (kind !== 'newline') atLineStart = false;
  };
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\n') {
      if (depth === 0 && !atLineStart) {
        const column = i - lineOffset;
        i++;
        push('newline', i - 1, line, column);
        atLineStart = true;
      } else i++;
      line++;
      lineOffset = i;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      i++;
      continue;
    }
    if (char === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (char === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
      i += source[i + 1] === '\n' ? 2 : 3;
      line++;
      lineOffset = i;
      continue;
    }
    const start = i;
    const startLine = line;
    const column = i - lineOffset;
    const word = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/.exec(source.slice(i, i + 256));
    if (word) {
      i += word[0].length;
      if ((source[i] === "'" || source[i] === '"') && PREFIX.test(word[0])) {
        const read = readString(source, i, word[0].toLowerCase(), startLine);
        i = read.end;
        line += read.newlines;
        if (read.newlines > 0) lineOffset = source.lastIndexOf('\n', i - 1) + 1;
        push(word[0].toLowerCase().includes('f') ? 'fstring' : 'string', start, startLine, column, read.value);
        continue;
      }
      push('name', start, startLine, column);
      continue;
    }
    const number = /^(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/.exec(source.slice(i, i + 256));
    if (number && /\d/.test(number[0])) {
      i += number[0].length;
      push('number', start, startLine, column);
      continue;
    }
    if (char === "'" || char === '"') {
      const read = readString(source, i, '', startLine);
      i = read.end;
      line += read.newlines;
      if (read.newlines > 0) lineOffset = source.lastIndexOf('\n', i - 1) + 1;
      push('string', start, startLine, column, read.value);
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i)) ?? (SINGLE.includes(char) ? char : undefined);
    if (operator === undefined) throw new PythonSyntaxError(`unexpected character ${JSON.stringify(char)}`, line);
    i += operator.length;
    if (OPEN.includes(operator)) {
      depth++;
      openedAt.push(line);
    }
    if (CLOSE.includes(operator)) {
      if (depth === 0) throw new PythonSyntaxError(`unmatched '${operator}'`, line);
      depth--;
      openedAt.pop();
    }
    push('op', start, startLine, column);
  }
  if (depth > 0) throw new PythonSyntaxError('a bracket opened here is never closed', openedAt.at(-1)!);
  if (!atLineStart) push('newline', i, line, i - lineOffset);
  push('end', i, line, i - lineOffset);
  return tokens;
}

interface ReadString {
  readonly value: string;
  /** Offset just past the closing quote. */
  readonly end: number;
  readonly newlines: number;
}

function readString(source: string, at: number, prefix: string, line: number): ReadString {
  const quote = source[at]!;
  const triple = source.startsWith(quote.repeat(3), at);
  const closing = triple ? quote.repeat(3) : quote;
  const raw = prefix.includes('r');
  let i = at + closing.length;
  let value = '';
  let newlines = 0;
  while (true) {
    if (i >= source.length) throw new PythonSyntaxError('a string is never closed', line);
    if (source.startsWith(closing, i)) return { value, end: i + closing.length, newlines };
    const char = source[i]!;
    if (char === '\n') {
      if (!triple) throw new PythonSyntaxError('a string is not closed on its line', line + newlines);
      newlines++;
      value += char;
      i++;
      continue;
    }
    if (char !== '\\') {
      value += char;
      i++;
      continue;
    }
    const next = source[i + 1];
    if (next === undefined) throw new PythonSyntaxError('a string is never closed', line);
    if (next === '\n') newlines++;
    if (raw) {
      // A raw string keeps the backslash; it still cannot end at an escaped quote.
      value += char + next;
      i += 2;
      continue;
    }
    const escaped = unescape(source, i + 1);
    value += escaped.text;
    i = escaped.end;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One escape after a backslash at `at - 1`: its text and where the string goes on. Unknown escapes keep the backslash, as Python does. */
function unescape(source: string, at: number): { text: string; end: number } {
  const char = source[at]!;
  if (Object.hasOwn(SIMPLE_ESCAPES, char)) return { text: SIMPLE_ESCAPES[char]!, end: at + 1 };
  const hex = (length: number) => {
    const digits = source.slice(at + 1, at + 1 + length);
    return /^[\da-fA-F]+$/.test(digits) && digits.length === length ? { text: String.fromCodePoint(Math.min(parseInt(digits, 16), 0x10ffff)), end: at + 1 + length } : undefined;
  };
  if (char === 'x') return hex(2) ?? { text: '\\x', end: at + 1 };
  if (char === 'u') return hex(4) ?? { text: '\\u', end: at + 1 };
  if (char === 'U') return hex(8) ?? { text: '\\U', end: at + 1 };
  const octal = /^[0-7]{1,3}/.exec(source.slice(at, at + 3));
  if (octal) return { text: String.fromCharCode(parseInt(octal[0], 8)), end: at + octal[0].length };
  // \N{NAME} needs Unicode's name table: kept as written, which the skeleton shows the user.
  return { text: `\\${char}`, end: at + 1 };
}
