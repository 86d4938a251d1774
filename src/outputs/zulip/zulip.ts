import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult, type Failed, type Retry } from '../result.ts';
import { basicAuthorization } from '../http/basic-auth.ts';
import type { HttpResponse } from '../http/client.ts';
import { jsonReference } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { withBodyRetryAfter } from '../http/retry-after.ts';
import { alertText } from '../text/alert-text.ts';
import { buildZulipMessage, ZULIP_LIMITS } from './message.ts';

/**
 * Zulip: one stream message per alert, POST /api/v1/messages as a form (the API takes no JSON
 * body) with HTTP Basic auth of the bot's email and API key, answered
 * `{"result":"success","msg":"","id":42}`; the message id is the reference.
 * https://zulip.com/api/send-message, https://zulip.com/api/http-headers
 *
 * The shared status table fits Zulip's errors (https://zulip.com/api/rest-error-handling): 400
 * (`STREAM_NOT_FOUND`, a bot not allowed to post) fails, quoting Zulip's `msg`; 401
 * (`INVALID_API_KEY`, a deactivated bot) and 403 fail as auth; 429 (`RATE_LIMIT_HIT`) retries
 * after Retry-After, or else after the body's `retry-after` seconds (a float); 5xx retry.
 */
@output
export class ZulipOutput extends JsonWebhookOutput {
  static override readonly service = 'zulip';
  static override readonly displayName = 'Zulip';
  static override readonly properties = {
    descriptor: descriptorProperty('Zulip', 'stream, organization, etc'),
    url: property('the Zulip organization url, e.g. https://example.zulipchat.com', { url: true, inputRestrictions: [' '] }),
    email: property('the email address of the Zulip bot that posts the alerts'),
    api_key: property("the bot's API key", { secret: true }),
    // Stream (channel) names may hold spaces and colons.
    stream: property('the name of the stream (channel) to post to', { inputRestrictions: [] }),
  };
  static override readonly limits = {
    message: { max: ZULIP_LIMITS.contentBytes, unit: 'bytes', over: 'truncated' },
    // Zulip's default API rate limit is 200 requests a minute per user: we stay under it.
    rate: { perSecond: 3, burst: 10 },
    source: 'https://zulip.com/api/http-headers#rate-limiting-response-headers',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const authorization = basicAuthorization(this.setting('email'), this.setting('api_key'));
    const site = this.setting('url');
    const message = buildZulipMessage(this.setting('stream'), alertText(alert, publication));
    return {
      // Relative to the organization's URL, so a server under a path prefix works.
      url: new URL('api/v1/messages', site.endsWith('/') ? site : `${site}/`).href,
      body: new URLSearchParams({ ...message }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      secrets: [this.setting('api_key'), authorization.slice('Basic '.length)],
    };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    return delivered(jsonReference(response.body, 'id'));
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    return withBodyRetryAfter(result, response, 'retry-after');
  }
}
