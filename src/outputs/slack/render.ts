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
  return renderLines(value, '').join('\n');
}

const INDENT = '    ';

function renderLines(value: unknown, pad: string): string[] {
  const entries = Array.isArray(value)
    ? value.map((item, index) => [`[${index + 1}]`, item] as const)
    : isObject(value)
      ? Object.entries(value).map(([key, item]) => [`${key}:`, item] as const)
      : undefined;
  if (!entries) return [`${pad}${scalar(value)}`];

  const lines: string[] = [];
  for (const [label, item] of entries) {
    if (isContainer(item) && !isEmpty(item)) {
      lines.push(`${pad}${label}`, ...renderLines(item, pad + INDENT));
    } else {
      lines.push(`${pad}${label} ${scalar(item)}`);
    }
  }
  return lines;
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
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Splits text into chunks of at most `maxChars`, breaking between lines where it can and
 * inside a line only when one line alone is too long.
 */
export function splitText(text: string, maxChars: number): string[] {
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
