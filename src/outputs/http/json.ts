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
