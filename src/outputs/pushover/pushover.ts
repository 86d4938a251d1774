import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { endpointProperty, property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, retry, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { jsonReference, parseJsonObject } from '../http/json.ts';
import { safeOrigin } from '../http/redact.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildPushoverMessage, PUSHOVER_LIMITS } from './message.ts';

export const PUSHOVER_MESSAGES_URL = 'https://api.pushover.net/1/messages.json';

/** How many of Pushover's error strings a failure message quotes. */
const MAX_QUOTED_ERRORS = 5;

/**
 * Pushover Messages API: one message per alert, POST messages.json with the application token
 * and the user (or group) key in the JSON body, answered `{"status":1,"request":"..."}`; the
 * request id is the reference. https://pushover.net/api#messages
 *
 * Pushover answers a bad request with a 4xx and `{"status":0,"errors":[...]}`, saying which
 * parameter was wrong (`"token":"invalid"`): an invalid token or user key fails as auth, any
 * other as client_error, with Pushover's errors quoted. A 429 means the application's monthly
 * message quota is spent: retried after Retry-After, or else when X-Limit-App-Reset (a Unix time)
 * says the quota renews. 5xx retry. https://pushover.net/api#response, https://pushover.net/api#limits
 */
@output
export class PushoverOutput extends JsonWebhookOutput {
  static override readonly service = 'pushover';
  static override readonly displayName = 'Pushover';
  static override readonly properties = {
    descriptor: descriptorProperty('Pushover', 'user, group, etc'),
    token: property("the API token of the Pushover application that sends the alerts", { secret: true }),
    user: property('the Pushover user key, or the group key, to send to', { secret: true }),
    url: endpointProperty('the Messages API url, only to override the default (a proxy)', PUSHOVER_MESSAGES_URL),
  };
  static override readonly limits = {
    message: { max: PUSHOVER_LIMITS.messageChars, unit: 'characters', over: 'truncated' },
    // Pushover asks for no more than two requests at once; its quota is monthly (10,000 messages free).
    rate: { perSecond: 2, burst: 2 },
    source: 'https://pushover.net/api#friendly',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const token = this.setting('token');
    const user = this.setting('user');
    return { url: this.setting('url'), json: buildPushoverMessage({ token, user }, alertText(alert, publication), alert), secrets: [token, user] };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    const body = parseJsonObject(response.body);
    if (body?.status === 0) return this.#rejected(body, response.status);
    return delivered(jsonReference(response.body, 'request'));
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    if (result.kind === 'retry' && result.retryAfterMs === undefined && response?.status === 429) {
      const resetAt = Number(response.headers['x-limit-app-reset']);
      return Number.isFinite(resetAt) && resetAt > 0 ? retry(result.reason, `${result.message} (the monthly quota renews at ${new Date(resetAt * 1000).toISOString()})`, Math.max(0, resetAt * 1000 - Date.now())) : result;
    }
    const body = parseJsonObject(response?.body ?? '');
    return result.kind === 'failed' && body?.status === 0 ? this.#rejected(body, response!.status) : result;
  }

  /** Pushover's `{"status":0,"errors":[...]}` as a failure: auth when it names the token or user key as invalid. */
  #rejected(body: Record<string, unknown>, status: number): Failed {
    const errors = Array.isArray(body.errors) ? body.errors.filter((error): error is string => typeof error === 'string') : [];
    const quoted = errors.slice(0, MAX_QUOTED_ERRORS).join('; ') || 'no reason given';
    const reason = body.token === 'invalid' || body.user === 'invalid' ? 'auth' : 'client_error';
    return failed(reason, this.redact(`${safeOrigin(this.setting('url'))} refused the message (HTTP ${status}): ${quoted}`));
  }
}
