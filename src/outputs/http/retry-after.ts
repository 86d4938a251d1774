import { jsonPath } from './json.ts';
import { retry, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from './client.ts';

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

/** The longest wait a 429's body may ask for: a larger value is taken as this. */
const MAX_BODY_RETRY_AFTER_MS = 10 * 60_000;

/**
 * A wait given in a JSON answer's body rather than a header, at `path` (Discord's `retry_after`,
 * Telegram's `parameters.retry_after`; seconds, fractional), in whole milliseconds, at most ten
 * minutes; undefined when absent or not a number.
 *
 * @example
 *   bodyRetryAfterMs('{"retry_after":0.729}', 'retry_after') // 729
 *   bodyRetryAfterMs('{"parameters":{"retry_after":5}}', 'parameters', 'retry_after') // 5000
 */
export function bodyRetryAfterMs(body: string, ...path: string[]): number | undefined {
  const seconds = jsonPath(body, ...path);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.ceil(seconds * 1000), MAX_BODY_RETRY_AFTER_MS);
}

/**
 * `result` as it is, or, for a 429 whose answer had no usable Retry-After header, retried after
 * the wait its JSON body gives at `path` (see bodyRetryAfterMs). For a JSON webhook's `refused`.
 *
 * @example
 *   protected override refused(result: Retry | Failed, response: HttpResponse | undefined) {
 *     return withBodyRetryAfter(result, response, 'retry_after');
 *   }
 */
export function withBodyRetryAfter(result: Retry | Failed, response: HttpResponse | undefined, ...path: string[]): Retry | Failed {
  if (result.kind !== 'retry' || result.retryAfterMs !== undefined || response?.status !== 429) return result;
  const waitMs = bodyRetryAfterMs(response.body, ...path);
  return waitMs === undefined ? result : retry(result.reason, result.message, waitMs);
}
