import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, retry, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { alertText } from '../text/alert-text.ts';
import { buildDiscordMessage } from './message.ts';

/** The longest wait a 429's JSON `retry_after` may ask for: a larger value is taken as this. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

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
export class DiscordOutput extends OutputBase {
  static override readonly service = 'discord';
  static override readonly displayName = 'Discord';
  static override readonly properties = {
    descriptor: descriptorProperty('Discord', 'channel, server, etc'),
    // URLs contain colons, so only spaces are restricted; the token in the path is the credential.
    url: property('the full Discord webhook url, including the token', { secret: true, url: true, inputRestrictions: [' '] }),
  };

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const url = this.setting('url');
    const message = buildDiscordMessage(alertText(alert, publication));
    const outcome = await this.context.http.send({ method: 'POST', url, json: message, ignoreSuccessBody: true, secrets: [url], signal: attempt.signal });
    if (outcome.ok) return delivered();
    const { result, response } = outcome;
    if (result.kind === 'retry' && result.retryAfterMs === undefined && response?.status === 429) {
      const waitMs = bodyRetryAfterMs(response);
      if (waitMs !== undefined) return retry(result.reason, result.message, waitMs);
    }
    return result;
  }
}

/** The JSON `retry_after` (seconds, fractional) of Discord's 429 body, in whole milliseconds. */
function bodyRetryAfterMs(response: HttpResponse): number | undefined {
  const seconds = parseJsonObject(response.body)?.retry_after;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS);
}
