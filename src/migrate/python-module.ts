import { PythonSyntaxError, tokenize, type Token } from './python-tokens.ts';
import { describe, ValueReader, type PyValue } from './python-values.ts';

/** A decorator over a function: `@disable`, `@rule(logs=[...])`, `@classmethod`. */
export interface Decorator {
  /** The dotted name, as written: `rule`, `streamalert.shared.rule.rule`. */
  readonly name: string;
  readonly line: number;
  /** Keyword arguments of a call, in order; undefined when the decorator is not called. */
  readonly keywords?: readonly (readonly [string, PyValue])[];
  /** Positional arguments of a call. */
  readonly positional?: readonly PyValue[];
}

/** A function definition, with what a port needs of it. */
export interface PyFunction {
  readonly name: string;
  readonly line: number;
  readonly decorators: readonly Decorator[];
  /** Parameter names, as written (`rec`, `*_`, `context`). */
  readonly parameters: readonly string[];
  /** The docstring's value as Python gives it (`__doc__`), if the body starts with one. */
  readonly docstring?: string;
  /** The whole definition's source, decorators and body included, for the comment in the port. */
  readonly source: string;
}

export interface PyClass {
  readonly name: string;
  readonly line: number;
  readonly methods: readonly PyFunction[];
  /** The class line and its other statements (attributes, constants), as source. */
  readonly otherCode: readonly string[];
}

/** What a rule or matcher file declares at its top level. */
export interface PyModule {
  /** Local name -> the dotted path it was imported as (`Summary` -> `publishers.community.slack.slack_layout.Summary`). */
  readonly imports: ReadonlyMap<string, string>;
  readonly functions: readonly PyFunction[];
  readonly classes: readonly PyClass[];
  /** The source of every other top-level statement (imports, constants, ...), in order. */
  readonly moduleCode: readonly string[];
}

/**
 * Reads the top level of a Python file: imports, functions with their decorators' arguments
 * (as values, see PyValue), classes with their methods, and the rest as source text. Throws a
 * PythonSyntaxError with the line when the file cannot be read so.
 *
 * @example
 *   readPythonModule("@rule(logs=['duo:authentication'])\ndef duo_fraud(rec):\n    return rec['result'] == 'FRAUD'\n").functions[0].decorators[0].keywords
 *   // [['logs', { kind: 'list', items: [{ kind: 'str', value: 'duo:authentication' }] }]]
 */
export function readPythonModule(source: string): PyModule {
  const tokens = tokenize(source);
  const lines = logicalLines(tokens);
  const imports = new Map<string, string>();
  const functions: PyFunction[] = [];
  const classes: PyClass[] = [];
  const moduleCode: string[] = [];
  const top = blocks(lines, 0, lines.length, lines[0]?.indent ?? 0);
  for (const block of top) {
    const first = block.lines[block.head]!;
    const keyword = first.tokens[0]!.text;
    if (keyword === 'def') functions.push(readFunction(block, lines, source, tokens));
    else if (keyword === 'class') classes.push(readClass(block, lines, source, tokens));
    else {
      if (keyword === 'from' || keyword === 'import') readImport(first.tokens, imports);
      moduleCode.push(sourceOf(source, block.lines[0]!, block.lines.at(-1)!));
    }
  }
  return { imports, functions, classes, moduleCode };
}

interface LogicalLine {
  readonly tokens: readonly Token[];
  /** Index in the token list of the line's first token. */
  readonly at: number;
  readonly indent: number;
}

/** A statement: its decorator lines, its head line, and (for def and class) the indented lines of its body. */
interface Block {
  readonly lines: readonly LogicalLine[];
  /** Index in `lines` of the `def`/`class` line (after the decorators), or 0. */
  readonly head: number;
  /** Index range of the body lines in the module's line list. */
  readonly bodyFrom: number;
  readonly bodyTo: number;
}

function logicalLines(tokens: readonly Token[]): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let start = 0;
  tokens.forEach((token, i) => {
    if (token.kind === 'newline' || token.kind === 'end') {
      if (i > start) lines.push({ tokens: tokens.slice(start, i), at: start, indent: tokens[start]!.column });
      start = i + 1;
    }
  });
  return lines;
}

/** The statements of lines[from, to) at `indent`: decorators join the def or class they decorate; bodies are the more indented lines after. */
function blocks(lines: readonly LogicalLine[], from: number, to: number, indent: number): Block[] {
  const found: Block[] = [];
  let i = from;
  while (i < to) {
    const start = i;
    if (lines[i]!.indent !== indent) throw new PythonSyntaxError('unexpected indentation', lines[i]!.tokens[0]!.line);
    while (i < to && lines[i]!.tokens[0]!.text === '@') i++;
    if (i >= to) throw new PythonSyntaxError('a decorator decorates nothing', lines[start]!.tokens[0]!.line);
    const head = i;
    const keyword = lines[head]!.tokens[0]!.text;
    if (head > start && keyword !== 'def' && keyword !== 'class' && !(keyword === 'async' && lines[head]!.tokens[1]?.text === 'def')) {
      throw new PythonSyntaxError(`a decorator must be followed by 'def' or 'class', found ${describe(lines[head]!.tokens[0]!)}`, lines[head]!.tokens[0]!.line);
    }
    i++;
    const bodyFrom = i;
    while (i < to && lines[i]!.indent > indent) i++;
    found.push({ lines: lines.slice(start, i), head: head - start, bodyFrom, bodyTo: i });
  }
  return found;
}

function readFunction(block: Block, lines: readonly LogicalLine[], source: string, tokens: readonly Token[]): PyFunction {
  const head = block.lines[block.head]!;
  const name = head.tokens[1];
  if (name?.kind !== 'name') throw new PythonSyntaxError("expected a function name after 'def'", head.tokens[0]!.line);
  const decorators = block.lines.slice(0, block.head).map((line) => readDecorator(line, source, tokens));
  const parameters = readParameters(head);
  const docstring = docstringOf(head, lines.slice(block.bodyFrom, block.bodyTo));
  return {
    name: name.text,
    line: name.line,
    decorators,
    parameters,
    ...(docstring !== undefined && { docstring }),
    source: sourceOf(source, block.lines[0]!, block.lines.at(-1)!),
  };
}

function readClass(block: Block, lines: readonly LogicalLine[], source: string, tokens: readonly Token[]): PyClass {
  const head = block.lines[block.head]!;
  const name = head.tokens[1];
  if (name?.kind !== 'name') throw new PythonSyntaxError("expected a class name after 'class'", head.tokens[0]!.line);
  const methods: PyFunction[] = [];
  const otherCode = [sourceOf(source, block.lines[0]!, head)];
  if (block.bodyTo > block.bodyFrom) {
    for (const member of blocks(lines, block.bodyFrom, block.bodyTo, lines[block.bodyFrom]!.indent)) {
      if (member.lines[member.head]!.tokens[0]!.text === 'def') methods.push(readFunction(member, lines, source, tokens));
      else otherCode.push(sourceOf(source, member.lines[0]!, member.lines.at(-1)!));
    }
  }
  return { name: name.text, line: name.line, methods, otherCode };
}

function readDecorator(line: LogicalLine, source: string, tokens: readonly Token[]): Decorator {
  const reader = new ValueReader(tokens, source, line.at + 1);
  const first = reader.next();
  if (first.kind !== 'name') throw new PythonSyntaxError(`expected a decorator name after '@', found ${describe(first)}`, first.line);
  let name = first.text;
  while (reader.isOp('.')) {
    reader.next();
    const part = reader.next();
    if (part.kind !== 'name') throw new PythonSyntaxError(`expected a name after '.', found ${describe(part)}`, part.line);
    name += `.${part.text}`;
  }
  if (!reader.isOp('(')) return { name, line: first.line };
  reader.next();
  const keywords: (readonly [string, PyValue])[] = [];
  const positional: PyValue[] = [];
  while (!reader.isOp(')')) {
    const token = reader.peek();
    if (token.kind === 'name' && reader.isOp('=', 1)) {
      reader.next();
      reader.next();
      if (keywords.some(([key]) => key === token.text)) throw new PythonSyntaxError(`keyword argument '${token.text}' repeated`, token.line);
      keywords.push([token.text, reader.value()]);
    } else if (token.kind === 'op' && (token.text === '*' || token.text === '**')) {
      throw new PythonSyntaxError(`'${token.text}' arguments cannot be read without running the Python`, token.line);
    } else positional.push(reader.value());
    if (reader.isOp(',')) reader.next();
    else if (!reader.isOp(')')) throw new PythonSyntaxError(`expected ',' or ')' in the arguments of @${name}, found ${describe(reader.peek())}`, reader.peek().line);
  }
  return { name, line: first.line, keywords, positional };
}

/** Parameter names between the def's parentheses, at their top level. */
function readParameters(head: LogicalLine): string[] {
  const open = head.tokens.findIndex((token) => token.kind === 'op' && token.text === '(');
  if (open < 0) throw new PythonSyntaxError("expected '(' after the function name", head.tokens[0]!.line);
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  let prefix = '';
  for (const token of head.tokens.slice(open + 1)) {
    if (token.kind === 'op' && '([{'.includes(token.text)) depth++;
    else if (token.kind === 'op' && ')]}'.includes(token.text)) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && token.kind === 'op' && token.text === ',') expectName = true;
    else if (depth === 0 && expectName && token.kind === 'op' && (token.text === '*' || token.text === '**')) prefix = token.text;
    else if (depth === 0 && expectName && token.kind === 'name') {
      names.push(prefix + token.text);
      prefix = '';
      expectName = false;
    }
  }
  return names;
}

function docstringOf(head: LogicalLine, body: readonly LogicalLine[]): string | undefined {
  // `def f(rec): """doc"""` puts the first statement on the head line, after the signature's colon.
  const colon = findSignatureColon(head);
  const inline = head.tokens.slice(colon + 1);
  const first = inline.length > 0 ? inline : body[0]?.tokens;
  if (first === undefined || first.length === 0 || !first.every((token) => token.kind === 'string')) return undefined;
  return first.map((token) => token.value!).join('');
}

function findSignatureColon(head: LogicalLine): number {
  let depth = 0;
  for (let i = 0; i < head.tokens.length; i++) {
    const token = head.tokens[i]!;
    if (token.kind !== 'op') continue;
    if ('([{'.includes(token.text)) depth++;
    else if (')]}'.includes(token.text)) depth--;
    else if (token.text === ':' && depth === 0) return i;
  }
  return head.tokens.length - 1;
}

/** `from a.b import c as d, e` and `import a.b as c`, into local name -> dotted path. */
function readImport(tokens: readonly Token[], imports: Map<string, string>): void {
  const words = tokens.filter((token) => !(token.kind === 'op' && (token.text === '(' || token.text === ')')));
  const dotted = (from: number): [string, number] => {
    let path = '';
    let i = from;
    while (i < words.length && (words[i]!.kind === 'name' || (words[i]!.kind === 'op' && words[i]!.text === '.')) && words[i]!.text !== 'import' && words[i]!.text !== 'as') {
      path += words[i]!.text;
      i++;
    }
    return [path, i];
  };
  const names = (from: number, base: string) => {
    let i = from;
    while (i < words.length) {
      const [path, next] = dotted(i);
      i = next;
      let local = base === '' ? path.split('.')[0]! : path;
      let target = base === '' ? (path.includes('.') ? path.split('.')[0]! : path) : `${base}.${path}`;
      if (words[i]?.text === 'as') {
        local = words[i + 1]?.text ?? local;
        target = base === '' ? path : target;
        i += 2;
      }
      if (path !== '' && path !== '*') imports.set(local, target);
      if (words[i]?.text === ',') i++;
      else break;
    }
  };
  if (words[0]!.text === 'import') names(1, '');
  else {
    const [base, next] = dotted(1);
    if (words[next]?.text === 'import') names(next + 1, base);
  }
}

/** The source of lines first..last, from the first's line start (its indentation included) to the end of the last's line. */
function sourceOf(source: string, first: LogicalLine, last: LogicalLine): string {
  const start = source.lastIndexOf('\n', first.tokens[0]!.start - 1) + 1;
  // To the end of the last line: a comment after the last token is part of what the port keeps.
  const end = source.indexOf('\n', last.tokens.at(-1)!.end);
  return source.slice(start, end < 0 ? source.length : end).trimEnd();
}
