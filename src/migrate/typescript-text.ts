/** Writing TypeScript source text from values and Python: literals, names, comments. */

/** Words a `const` cannot be named (and strict mode's): a Python name like `delete` gets another binding name. */
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval'.split(' '),
);

/** True for a name usable as a `const` binding and an export name as it is. */
export function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);
}

/**
 * A JSON value as a TypeScript expression, on one line when short. Keys that are not
 * identifiers are quoted; `__proto__` is computed, so it stays a key instead of setting the
 * object's prototype.
 *
 * @example
 *   tsLiteral({ detail: ['eventName', 'requestParameters'] }, '  ')  // "{ detail: ['eventName', 'requestParameters'] }"
 */
export function tsLiteral(value: unknown, indent: string): string {
  const flat = render(value, indent, false);
  return flat.length <= 100 && !flat.includes('\n') ? flat : render(value, indent, true);
}

function render(value: unknown, indent: string, multiline: boolean): string {
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => render(item, inner, multiline));
    return multiline ? `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]` : `[${items.join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const parts = entries.map(([key, item]) => `${propertyKey(key)}: ${render(item, inner, multiline)}`);
  return multiline ? `{\n${parts.map((part) => `${inner}${part},`).join('\n')}\n${indent}}` : `{ ${parts.join(', ')} }`;
}

function propertyKey(key: string): string {
  if (key === '__proto__') return `[${quote(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** A string literal in single quotes; every character that could end it or a line is escaped. */
export function quote(text: string): string {
  return `'${text.replace(/[\\'\n\r\u2028\u2029\0-\x1f\x7f]/g, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text as `//` comment lines. Characters JavaScript takes as line ends (CR, U+2028, U+2029)
 * would end the comment and make the rest of the line code, so they are written as escapes.
 *
 * @example
 *   lineComments("def f(rec):\n    return True", '  ')  // "  // def f(rec):\n  //     return True"
 */
export function lineComments(text: string, indent: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/[\r\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .split('\n')
    .map((line) => (line.trim() === '' ? `${indent}//` : `${indent}// ${line.replace(/\s+$/, '')}`))
    .join('\n');
}

/** A docstring as `inspect.cleandoc` gives it: the common indentation of its lines after the first removed, blank lines at either end dropped. */
export function cleanDocstring(docstring: string): string {
  const lines = docstring.replace(/\t/g, '        ').split('\n');
  const indents = lines.slice(1).filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const margin = indents.length > 0 ? Math.min(...indents) : 0;
  const cleaned = [lines[0]!.trim(), ...lines.slice(1).map((line) => line.slice(margin).replace(/\s+$/, ''))];
  while (cleaned.length > 0 && cleaned[0] === '') cleaned.shift();
  while (cleaned.length > 0 && cleaned.at(-1) === '') cleaned.pop();
  return cleaned.join('\n');
}
