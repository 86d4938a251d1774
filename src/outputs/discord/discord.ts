import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import type { DispatchResult, Failed, Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { withBodyRetryAfter } from '../http/retry-after.ts';
import { alertText } from '../text/alert-text.ts';
import { buildDiscordMessage, DISCORD_LIMITS } from './message.ts';

/**
 * Discord webhooks: one execution per alert, an embed without `?wait=true`, so Discord answers
 * 204 No Content. https://discord.com/developers/docs/resources/webhook#execute-webhook
 *
 * The shared status table fits Discord's answers
 * (https://discord.com/developers/docs/topics/opcodes-and-status-codes#http): 400 bad request
 * and 401 an invalid token fail, 404 a deleted webhook fails as not_found, 5xx retry. A 429
 * retries after its Retry-After header, or else after the `retry_after` seconds (a float) of its
 * JSON body (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
 */
@output
export class DiscordOutput extends JsonWebhookOutput {
  static override readonly service = 'discord';
  static override readonly displayName = 'Discord';
  static override readonly properties = {
    descriptor: descriptorProperty('Discord', 'channel, server, etc'),
    // URLs contain colons, so only spaces are restricted; the token in the path is the credential.
    url: property('the full Discord webhook url, including the token', { secret: true, url: true, inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    message: { max: DISCORD_LIMITS.totalEmbedChars, unit: 'characters', over: 'truncated' },
    // Discord documents no fixed webhook rate; about 5 requests in 2 seconds per webhook is what it enforces.
    rate: { perSecond: 2, burst: 5 },
    source: 'https://discord.com/developers/docs/topics/rate-limits',
  } as const;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    return { url: this.setting('url'), json: buildDiscordMessage(alertText(alert, publication)) };
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    return withBodyRetryAfter(result, response, 'retry_after');
  }
}
