// Python's text conventions, where StreamAlert's publishers put Python's output in a publication
// and test events expect it verbatim (`"@slack.attachments"[2].text contains "\"requestID\": ..."`).
import { isPlainObject } from '../classifier/record.ts';
import { pythonStr } from '../python/str.ts';

/**
 * `json.dumps(value, indent=2, sort_keys=True, separators=(',', ': '))`: two-space indents, keys
 * sorted, non-ASCII written as `\uXXXX` (Python's default `ensure_ascii`).
 *
 * @example
 *   pythonJsonDumps({ b: [1], a: 'é' })  // '{\n  "a": "\\u00e9",\n  "b": [\n    1\n  ]\n}'
 */
export function pythonJsonDumps(value: unknown, pad = ''): string {
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + pythonJsonDumps(item, inner)).join(',\n')}\n${pad}]`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${asciiJson(key)}: ${pythonJsonDumps(value[key], inner)}`).join(',\n')}\n${pad}}`;
  }
  if (typeof value === 'string') return asciiJson(value);
  return JSON.stringify(value) ?? 'null';
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `template.format(**args)` for the field forms a Slack template uses: `{name}`,
 * `{name[key]}`, `{name[0]}`, and `{{` / `}}` for braces. Conversions (`!r`) and format specs
 * (`:>10`) are refused, as is a field the arguments lack (Python's KeyError).
 *
 * @example
 *   pythonFormat('{rule_name} by {record[user][name]}', { rule_name: 'r', record: { user: { name: 'alice' } } })  // 'r by alice'
 */
export function pythonFormat(template: string, args: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (match, field: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (field === undefined) throw new Error(`template: a single '${match}' must be doubled ('${match}${match}') to show it`);
    return pythonStr(formatField(field, args));
  });
}

function formatField(field: string, args: Record<string, unknown>): unknown {
  const parsed = /^([^.[!:]+)((?:\[[^\]]+\])*)$/.exec(field);
  if (!parsed) throw new Error(`template: field '{${field}}' is not supported; use {name}, {name[key]} or {name[0]}`);
  const [, name, indexes] = parsed as unknown as [string, string, string];
  if (!Object.hasOwn(args, name)) throw new Error(`template: no field '${name}' in the publication (fields: ${Object.keys(args).join(', ') || 'none'})`);
  let value: unknown = args[name];
  for (const [, key] of indexes.matchAll(/\[([^\]]+)\]/g)) {
    // Python's format reads an all-digit index as a number, anything else as a string key.
    const found = Array.isArray(value) && /^\d+$/.test(key!) ? value[Number(key)] : isPlainObject(value) && Object.hasOwn(value, key!) ? value[key!] : undefined;
    if (found === undefined) throw new Error(`template: '{${field}}' has no [${key}]`);
    value = found;
  }
  return value;
}

/** `cgi.escape(text)`: `&`, `<` and `>` only, which is also all Slack asks to be escaped. */
export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `str.capitalize()`: the first character upper case, the rest lower case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/**
 * `urllib.parse.urlencode({key: value})`: `quote_plus`, so spaces become `+` and only letters,
 * digits and `_.-~` stay as they are.
 */
export function urlencode(params: Record<string, string>): string {
  const quotePlus = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return Object.entries(params).map(([key, value]) => `${quotePlus(key)}=${quotePlus(value)}`).join('&');
}

/**
 * A Python regular expression as a JavaScript one: the syntax the two spell differently
 * (`(?P<name>`, `(?P=name)`, `\A`, `\Z`) is rewritten; the rest is common to both.
 */
export function pythonRegExp(source: string): RegExp {
  const rewritten = source.replace(/\\.|\(\?P<|\(\?P=(\w+)\)/gs, (match, backReference: string | undefined) => {
    if (match === '(?P<') return '(?<';
    if (backReference !== undefined) return `\\k<${backReference}>`;
    if (match === '\\A') return '^';
    if (match === '\\Z') return '$';
    return match;
  });
  return new RegExp(rewritten);
}
