import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { endpointProperty, property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { jsonReference } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildNtfyMessage, NTFY_LIMITS } from './message.ts';

export const NTFY_URL = 'https://ntfy.sh';

/**
 * ntfy: one message per alert, published as JSON to the server's root URL, answered with the
 * message (`{"id":"...","event":"message",...}`); its id is the reference. An access token, where
 * the topic needs one, goes in `Authorization: Bearer`.
 * https://docs.ntfy.sh/publish/#publish-as-json, https://docs.ntfy.sh/publish/#access-tokens
 *
 * The shared status table fits ntfy's errors (`{"code":40301,"http":403,"error":"forbidden"}`):
 * 400 fails, 401 and 403 (a token missing, wrong or not allowed to write the topic) fail as auth,
 * 413 as too_large, 429 (the visitor's request or message quota) and 5xx retry.
 */
@output
export class NtfyOutput extends JsonWebhookOutput {
  static override readonly service = 'ntfy';
  static override readonly displayName = 'ntfy';
  static override readonly properties = {
    descriptor: descriptorProperty('ntfy', 'topic, phone, etc'),
    // On a server without access control the topic name is the only password: kept as a secret.
    topic: property('the ntfy topic to publish to (anyone who knows it may read it on a public server: pick one hard to guess)', { secret: true }),
    token: property('an ntfy access token (tk_...) if the topic needs one, or nothing', { secret: true, optional: true }),
    url: endpointProperty('the ntfy server url, only to override https://ntfy.sh (a self-hosted server)', NTFY_URL),
  };
  static override readonly limits = {
    message: { max: NTFY_LIMITS.messageBytes, unit: 'bytes', over: 'truncated' },
    // ntfy.sh's visitor request limit: a burst of 60, then one request every 5 seconds.
    rate: { perSecond: 1 / 5, burst: 60 },
    source: 'https://docs.ntfy.sh/publish/#limitations',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const topic = this.setting('topic');
    const token = this.setting('token');
    const server = this.setting('url');
    return {
      // JSON is published to the root: the topic is in the body.
      url: server.endsWith('/') ? server : `${server}/`,
      json: buildNtfyMessage(topic, alertText(alert, publication), alert.severity),
      headers: token ? { authorization: `Bearer ${token}` } : undefined,
      secrets: token ? [topic, token] : [topic],
    };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    return delivered(jsonReference(response.body, 'id'));
  }
}
