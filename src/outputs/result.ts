/**
 * Why a dispatch did not deliver: a small closed set, used in results, logs and summaries.
 */
export const FAILURE_REASONS = [
  'client_error', // the service rejected the request as malformed (4xx)
  'auth', // credentials missing, wrong or not allowed (401, 403, AccessDenied)
  'not_found', // the endpoint, bucket or function does not exist
  'rate_limited', // the service asked us to slow down (429, throttling)
  'server_error', // the service failed (5xx)
  'timeout', // no answer within the request timeout
  'connection', // could not connect, or the connection broke
  'too_large', // the payload is over the service's documented limit
  'config', // the output's configuration is unusable (bad URL, missing property)
  'internal', // the output itself threw: a bug, reported and retried
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Delivered: the service accepted the alert; `reference` is its id for it, where it gives one. */
export interface Delivered {
  readonly kind: 'delivered';
  readonly reference?: string;
}

/** Not delivered this time; the delivery engine may try again (after `retryAfterMs` if set). */
export interface Retry {
  readonly kind: 'retry';
  readonly reason: FailureReason;
  readonly message: string;
  readonly retryAfterMs?: number;
}

/** Not delivered and never will be as things stand: retrying cannot help. */
export interface Failed {
  readonly kind: 'failed';
  readonly reason: FailureReason;
  readonly message: string;
}

/** What one attempt to send one alert to one output came to. Outputs never throw it or loop. */
export type DispatchResult = Delivered | Retry | Failed;

export function delivered(reference?: string): Delivered {
  return reference === undefined ? { kind: 'delivered' } : { kind: 'delivered', reference };
}

export function retry(reason: FailureReason, message: string, retryAfterMs?: number): Retry {
  return retryAfterMs === undefined
    ? { kind: 'retry', reason, message }
    : { kind: 'retry', reason, message, retryAfterMs };
}

export function failed(reason: FailureReason, message: string): Failed {
  return { kind: 'failed', reason, message };
}
