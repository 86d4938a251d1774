import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildRocketChatMessage, ROCKETCHAT_LIMITS } from './message.ts';

/**
 * Rocket.Chat incoming webhook integrations: one JSON post per alert to
 * https://<host>/hooks/<id>/<token>, answered 200 `{"success":true}`.
 * https://docs.rocket.chat/docs/integrations
 *
 * The shared status table fits the server's answers: 400 `{"success":false,"error":...}` (a
 * channel that no longer exists, a message the server refused) fails, 401 (an unknown hook id
 * or token) fails as auth, 503 (the integration is disabled) and other 5xx retry, and 429 (the
 * API rate limiter, which hooks pass through) retries after its Retry-After when given.
 */
@output
export class RocketChatOutput extends JsonWebhookOutput {
  static override readonly service = 'rocketchat';
  static override readonly displayName = 'Rocket.Chat';
  static override readonly properties = {
    descriptor: descriptorProperty('Rocket.Chat', 'channel, team, etc'),
    // URLs contain colons, so only spaces are restricted; the token in the path is the credential.
    url: property('the full Rocket.Chat incoming webhook url, including its token', { secret: true, url: true, inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    message: { max: ROCKETCHAT_LIMITS.messageChars, unit: 'characters', over: 'truncated' },
    // The API rate limiter's defaults (API_Enable_Rate_Limiter_Limit_Calls_Default): 10 calls a minute per client and route.
    rate: { perSecond: 10 / 60, burst: 10 },
    source: 'https://docs.rocket.chat/docs/rate-limiter',
  } as const;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    return { url: this.setting('url'), json: buildRocketChatMessage(alertText(alert, publication)) };
  }
}
