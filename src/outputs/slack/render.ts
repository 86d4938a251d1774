/**
 * Renders a record as readable text for Slack: one `key: value` per line, nested objects
 * indented, array items numbered from 1.
 *
 * @example
 *   renderRecord({ user: { name: 'root' }, ips: ['1.2.3.4'] })
 *   // user:
 *   //     name: root
 *   // ips:
 *   //     [1] 1.2.3.4
 */
export function renderRecord(value: unknown): string {
  const lines: string[] = [];
  renderInto(lines, value, '');
  return lines.join('\n');
}

const INDENT = '    ';

/** Appends the lines for `value` to `lines`: one shared array keeps large records cheap. */
function renderInto(lines: string[], value: unknown, pad: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => renderEntry(lines, `[${index + 1}]`, item, pad));
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) renderEntry(lines, `${key}:`, value[key], pad);
  } else {
    lines.push(`${pad}${scalar(value)}`);
  }
}

function renderEntry(lines: string[], label: string, item: unknown, pad: string): void {
  if (isContainer(item) && !isEmpty(item)) {
    lines.push(`${pad}${label}`);
    renderInto(lines, item, pad + INDENT);
  } else {
    lines.push(`${pad}${label} ${scalar(item)}`);
  }
}

function scalar(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  if (typeof value === 'string') return value;
  return value === undefined ? 'null' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters, and only those.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Splits text into chunks of at most `maxChars`, breaking between lines where it can and
 * inside a line only when one line alone is too long.
 */
export function splitText(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= maxChars) {
      current = candidate;
      continue;
    }
    if (current !== '') chunks.push(current);
    current = line;
    while (current.length > maxChars) {
      chunks.push(current.slice(0, maxChars));
      current = current.slice(maxChars);
    }
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}
