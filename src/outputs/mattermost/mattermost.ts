import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildMattermostMessage, MATTERMOST_LIMITS } from './message.ts';

/**
 * Mattermost incoming webhooks: one JSON post per alert, answered 200 `ok`.
 * https://developers.mattermost.com/integrate/webhooks/incoming/
 *
 * The shared status table fits: 400 (data Mattermost cannot parse, or an unknown hook) fails,
 * 403 (incoming webhooks turned off by the system admin) fails as auth, 404 as not_found, 429
 * (the server's optional rate limiting) retries after its Retry-After, 5xx retry.
 */
@output
export class MattermostOutput extends JsonWebhookOutput {
  static override readonly service = 'mattermost';
  static override readonly displayName = 'Mattermost';
  static override readonly properties = {
    descriptor: descriptorProperty('Mattermost', 'channel, team, etc'),
    // URLs contain colons, so only spaces are restricted; the hook id in the path is the credential.
    url: property('the full Mattermost incoming webhook url, including the hook id', { secret: true, url: true, inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    message: { max: MATTERMOST_LIMITS.postChars, unit: 'characters', over: 'truncated' },
    // The server's own rate limiting, when an admin turns it on, defaults to 10 requests a second.
    rate: { perSecond: 10, burst: 10 },
    source: 'https://docs.mattermost.com/configure/environment-configuration-settings.html#rate-limiting',
  } as const;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    return { url: this.setting('url'), json: buildMattermostMessage(alertText(alert, publication)) };
  }
}
