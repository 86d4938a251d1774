/**
 * JSON.parse's complaint about `text` with its place as people count it: Node's
 * "... in JSON at position 86" becomes "... at line 3, column 12" (1-based, within the record;
 * a one-line record, an NDJSON line, gives only the column).
 *
 * @example
 *   describeJsonError(new SyntaxError("Expected property name or '}' in JSON at position 1"), '{bad')
 *   // "Expected property name or '}' at column 2"
 */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (!at) return message;
  const offset = Math.min(Number(at[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const place = text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return `${message.slice(0, at.index)} at ${place}${message.slice(at.index + at[0].length)}`;
}
