import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { jsonPath, jsonReference } from '../http/json.ts';
import { secretUrlProperty } from '../http/secret-url.ts';
import { alertText } from '../text/alert-text.ts';
import { buildGoogleChatMessage, GOOGLE_CHAT_LIMITS } from './message.ts';

/**
 * Google Chat incoming webhooks: spaces.messages.create on the webhook's URL, whose `key` and
 * `token` query values are the credential; one text message per alert, answered 200 with the
 * message (its `name` is kept as the reference).
 * https://developers.google.com/workspace/chat/quickstart/webhooks
 *
 * Two query values are added: `messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`, so a
 * message replies in its rule's thread (`thread.threadKey`, the rule name) and opens it when
 * there is none; and `requestId`, the alert id, so that a retry after a lost answer returns the
 * message already created instead of posting a second.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create
 *
 * Google answers a key that is not valid with 400 INVALID_ARGUMENT, reason API_KEY_INVALID: that
 * is a credential, failed as auth. Otherwise the shared status table fits
 * (https://cloud.google.com/apis/design/errors#handling_errors): 401/403 auth, 404 a deleted
 * space or webhook, 429 RESOURCE_EXHAUSTED retry, 5xx retry.
 */
@output
export class GoogleChatOutput extends JsonWebhookOutput {
  static override readonly service = 'google-chat';
  static override readonly displayName = 'Google Chat';
  static override readonly properties = {
    descriptor: descriptorProperty('Google Chat', 'space, team, etc'),
    url: secretUrlProperty('the full Google Chat webhook url, including its key and token'),
  };
  static override readonly limits = {
    message: { max: GOOGLE_CHAT_LIMITS.textChars, unit: 'characters', over: 'truncated' },
    // A webhook writes to one space, and Google allows one message write per second per space.
    rate: { perSecond: 1, burst: 1 },
    source: 'https://developers.google.com/workspace/chat/limits',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    return { url: withQuery(this.setting('url'), { messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD', requestId: alert.id }), json: buildGoogleChatMessage(alertText(alert, publication)) };
  }

  /** The created message's resource name (`spaces/.../messages/...`) as the reference. */
  protected override delivered(response: HttpResponse): DispatchResult {
    return delivered(jsonReference(response.body, 'name'));
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    return response?.status === 400 && isInvalidKey(response.body) ? failed('auth', result.message) : result;
  }
}

/** `url` with each of `values` appended to its query, unless the user's URL already sets it. */
function withQuery(url: string, values: Record<string, string>): string {
  let present: URLSearchParams;
  try {
    present = new URL(url).searchParams;
  } catch {
    return url; // the HTTP layer says what is wrong with it
  }
  const added = Object.entries(values).filter(([name]) => !present.has(name));
  if (added.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${added.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')}`;
}

/** Whether a Google error answer's details give the reason API_KEY_INVALID (https://cloud.google.com/apis/design/errors#error_info). */
function isInvalidKey(body: string): boolean {
  const details = jsonPath(body, 'error', 'details');
  return Array.isArray(details) && details.some((detail: unknown) => typeof detail === 'object' && detail !== null && (detail as { reason?: unknown }).reason === 'API_KEY_INVALID');
}
