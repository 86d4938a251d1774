import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { parseRetryAfter } from '../http/retry-after.ts';
import { delivered, failed, retry, type DispatchResult, type FailureReason } from '../result.ts';

/**
 * What Slack's `error` codes in an `ok: false` answer (sent with HTTP 200) mean for a delivery.
 * https://api.slack.com/methods/chat.postMessage#errors https://api.slack.com/web#evaluating_responses
 * Any code not listed fails as client_error (invalid_blocks, invalid_arguments, ...).
 */
const FAILED_ERRORS: Readonly<Record<string, FailureReason>> = {
  invalid_auth: 'auth',
  not_authed: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  missing_scope: 'auth',
  not_allowed_token_type: 'auth',
  channel_not_found: 'not_found',
  not_in_channel: 'not_found',
  is_archived: 'not_found',
  msg_too_long: 'too_large',
};

/** Codes that say "later": Slack's own trouble, or its rate limit (usually an HTTP 429 instead). */
const RETRY_ERRORS: Readonly<Record<string, FailureReason>> = {
  ratelimited: 'rate_limited',
  internal_error: 'server_error',
  fatal_error: 'server_error',
  service_unavailable: 'server_error',
  request_timeout: 'server_error',
};

/** Where a posted message is: its channel's id and its `ts`, Slack's id for it (and for its thread). */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** What Slack's channel ids and message timestamps look like: anything else is not kept as a reference. */
const CHANNEL_ID = /^[A-Z0-9]{2,32}$/;
const TS = /^\d{1,12}\.\d{1,9}$/;

/**
 * The result of a 2xx answer from chat.postMessage: the message posted (`ok: true` with its
 * channel and ts), or the delivery's result for an `ok: false` error code.
 */
export function postMessageAnswer(response: HttpResponse): PostedMessage | DispatchResult {
  const answer = parseJsonObject(response.body);
  if (answer?.ok === true) {
    const { channel, ts } = answer;
    if (typeof channel === 'string' && CHANNEL_ID.test(channel) && typeof ts === 'string' && TS.test(ts)) return { channel, ts };
    // Posted, but with nothing to thread on: delivered all the same.
    return delivered();
  }
  const code = typeof answer?.error === 'string' ? answer.error.slice(0, 64) : '';
  const message = `Slack answered chat.postMessage with ${code ? `error ${code}` : `HTTP ${response.status} and no ok: true`}`;
  const retryAfter = response.headers['retry-after'];
  if (RETRY_ERRORS[code]) return retry(RETRY_ERRORS[code], message, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
  return failed(FAILED_ERRORS[code] ?? 'client_error', message);
}

/** A posted message as a delivery's reference: `C0123ABCD/1712345678.123456`. */
export function messageReference(message: PostedMessage): string {
  return `${message.channel}/${message.ts}`;
}

/** The message a reference names, or undefined when it is not one (another output's, damaged). */
export function parseMessageReference(reference: string | undefined): PostedMessage | undefined {
  const [channel, ts, ...rest] = (reference ?? '').split('/');
  return rest.length === 0 && channel !== undefined && CHANNEL_ID.test(channel) && ts !== undefined && TS.test(ts) ? { channel, ts } : undefined;
}
