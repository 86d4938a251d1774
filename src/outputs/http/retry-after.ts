/**
 * Parses an HTTP `Retry-After` header (RFC 9110 section 10.2.3): either delay-seconds or an
 * HTTP-date. Returns the wait in milliseconds (never negative), or undefined when absent or
 * unparseable.
 *
 * @example
 *   parseRetryAfter('30')                            // 30000
 *   parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT') // ms until then, or 0 if past
 */
export function parseRetryAfter(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
