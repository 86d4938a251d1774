import type { FailureReason } from '../result.ts';

export type StatusVerdict = { kind: 'delivered' } | { kind: 'retry' | 'failed'; reason: FailureReason };

/**
 * Per-output exceptions to the shared table, keyed by status code. Each entry should cite the
 * vendor document that justifies it.
 */
export type StatusOverrides = Readonly<Record<number, StatusVerdict>>;

/**
 * Statuses worth retrying even though they are 4xx: the request was fine, the moment was not.
 */
const RETRYABLE_CLIENT_STATUSES: Readonly<Record<number, FailureReason>> = {
  408: 'timeout', // Request Timeout: the server gave up waiting for us
  425: 'server_error', // Too Early: replay risk, safe to send later
  429: 'rate_limited', // Too Many Requests: honour Retry-After
};

const PERMANENT_REASONS: Readonly<Record<number, FailureReason>> = {
  401: 'auth',
  403: 'auth',
  404: 'not_found',
  410: 'not_found',
  413: 'too_large',
};

/**
 * The one status table every HTTP output shares: 2xx delivered; 408, 425, 429 and 5xx retry;
 * any other status failed. Outputs add their vendor's exceptions through `overrides`.
 */
export function classifyStatus(status: number, overrides: StatusOverrides = {}): StatusVerdict {
  const override = overrides[status];
  if (override) return override;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const retryReason = RETRYABLE_CLIENT_STATUSES[status];
  if (retryReason) return { kind: 'retry', reason: retryReason };
  if (status >= 500) return { kind: 'retry', reason: 'server_error' };
  return { kind: 'failed', reason: PERMANENT_REASONS[status] ?? 'client_error' };
}
