import { PythonSyntaxError, type Token } from './python-tokens.ts';

/**
 * A decorator argument as read from the tokens: a Python literal (what StreamAlert rules pass:
 * lists of strings, dicts, numbers, True/False/None), a dotted name (`AwsConfigMatcher.guard_duty`,
 * `Summary`), or anything else kept as its source text (`code`) for a person to port.
 */
export type PyValue =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'const'; readonly value: boolean | null }
  | { readonly kind: 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] }
  | { readonly kind: 'name'; readonly path: string }
  | { readonly kind: 'code'; readonly text: string };

/** Literals nest a few levels in practice; this bounds the recursion. */
const MAX_DEPTH = 64;

/** Reads values from a token list; `at` is the position of the next token. */
export class ValueReader {
  at: number;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
    at: number,
  ) {
    this.at = at;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === text;
  }

  expectOp(text: string): Token {
    const token = this.next();
    if (token.kind !== 'op' || token.text !== text) throw new PythonSyntaxError(`expected '${text}', found ${describe(token)}`, token.line);
    return token;
  }

  /**
   * One argument value, up to the `,` or closing bracket after it. A value that is not a plain
   * literal or dotted name (a call, an expression, a comprehension) is kept as source text.
   */
  value(): PyValue {
    const start = this.at;
    try {
      const value = this.literal(0);
      if (this.atValueEnd()) return value;
    } catch (error) {
      if (!(error instanceof NotLiteral)) throw error;
    }
    this.at = start;
    return { kind: 'code', text: this.skipExpression() };
  }

  private atValueEnd(): boolean {
    const token = this.peek();
    return token.kind === 'op' && (token.text === ',' || CLOSE.includes(token.text));
  }

  private literal(depth: number): PyValue {
    if (depth > MAX_DEPTH) throw new PythonSyntaxError(`values nested more than ${MAX_DEPTH} deep`, this.peek().line);
    const token = this.next();
    if (token.kind === 'string') {
      let value = token.value!;
      while (this.peek().kind === 'string') value += this.next().value!;
      if (this.peek().kind === 'fstring') throw new NotLiteral();
      return { kind: 'str', value };
    }
    if (token.kind === 'number') return { kind: 'num', value: pythonNumber(token) };
    if (token.kind === 'op' && token.text === '-' && this.peek().kind === 'number') return { kind: 'num', value: -pythonNumber(this.next()) };
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'False') return { kind: 'const', value: token.text === 'True' };
      if (token.text === 'None') return { kind: 'const', value: null };
      if (KEYWORDS.has(token.text)) throw new NotLiteral();
      let path = token.text;
      while (this.isOp('.') && this.peek(1).kind === 'name') {
        this.next();
        path += `.${this.next().text}`;
      }
      return { kind: 'name', path };
    }
    if (token.kind === 'op' && (token.text === '[' || token.text === '(')) {
      const close = token.text === '[' ? ']' : ')';
      const items: PyValue[] = [];
      let sawComma = false;
      while (!this.isOp(close)) {
        items.push(this.literal(depth + 1));
        if (this.isOp(',')) {
          this.next();
          sawComma = true;
        } else if (!this.isOp(close)) throw new NotLiteral();
      }
      this.next();
      // `(x)` is x; `(x,)` and `[x]` are sequences.
      if (close === ')' && items.length === 1 && !sawComma) return items[0]!;
      return { kind: 'list', items };
    }
    if (token.kind === 'op' && token.text === '{') {
      const entries: [PyValue, PyValue][] = [];
      const members: PyValue[] = [];
      while (!this.isOp('}')) {
        const key = this.literal(depth + 1);
        if (this.isOp(':')) {
          this.next();
          entries.push([key, this.literal(depth + 1)]);
        } else members.push(key);
        if (this.isOp(',')) this.next();
        else if (!this.isOp('}')) throw new NotLiteral();
      }
      this.next();
      if (entries.length > 0 && members.length > 0) throw new NotLiteral();
      // A set literal is a list here: rules pass sets where a list does as well.
      return members.length > 0 ? { kind: 'list', items: members } : { kind: 'dict', entries };
    }
    throw new NotLiteral();
  }

  /** Skips one expression (balanced brackets) up to a `,` or closing bracket at its level; returns its source text. */
  skipExpression(): string {
    const first = this.peek();
    let depth = 0;
    while (true) {
      const token = this.peek();
      if (token.kind === 'end') throw new PythonSyntaxError('the value never ends', first.line);
      if (token.kind === 'op') {
        if (OPEN.includes(token.text)) depth++;
        else if (CLOSE.includes(token.text)) {
          if (depth === 0) break;
          depth--;
        } else if (token.text === ',' && depth === 0) break;
      }
      this.next();
    }
    const last = this.tokens[this.at - 1]!;
    return this.source.slice(first.start, Math.max(first.start, last.end));
  }
}

/** Thrown inside `literal` when a value is not a plain literal: the caller keeps its text. */
class NotLiteral extends Error {}

const OPEN = ['(', '[', '{'];
const CLOSE = [')', ']', '}'];
const KEYWORDS = new Set(['lambda', 'not', 'and', 'or', 'if', 'else', 'for', 'in', 'is', 'await', 'yield']);

function pythonNumber(token: Token): number {
  const text = token.text.replace(/_/g, '');
  if (/[jJ]$/.test(text)) throw new NotLiteral();
  if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[oO]/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0[bB]/.test(text)) return parseInt(text.slice(2), 2);
  return Number(text);
}

export function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the file';
  if (token.kind === 'newline') return 'the end of the line';
  return `'${token.text.length > 40 ? `${token.text.slice(0, 40)}...` : token.text}'`;
}
