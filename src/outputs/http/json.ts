/**
 * A response body parsed as a JSON object, or undefined when it is not one (HTML error pages,
 * empty bodies, arrays). Outputs read vendor answers through this and never throw on them.
 *
 * @example
 *   parseJsonObject('{"dedup_key":"abc"}') // { dedup_key: 'abc' }
 *   parseJsonObject('<html>502</html>')    // undefined
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The value at `path` in a JSON object body, or undefined where the body is not JSON or the
 * path leads nowhere.
 *
 * @example
 *   jsonPath('{"parameters":{"retry_after":5}}', 'parameters', 'retry_after') // 5
 */
export function jsonPath(text: string, ...path: string[]): unknown {
  let value: unknown = parseJsonObject(text);
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/**
 * The vendor's id for what it accepted, at `path` in its JSON answer, as a delivery's
 * reference: a non-empty string, or a number as text; otherwise undefined.
 *
 * @example
 *   jsonReference('{"ok":true,"result":{"message_id":4711}}', 'result', 'message_id') // '4711'
 */
export function jsonReference(text: string, ...path: string[]): string | undefined {
  const value = jsonPath(text, ...path);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
