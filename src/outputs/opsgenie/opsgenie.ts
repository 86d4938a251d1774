import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { endpointProperty, property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { parseJsonObject } from '../http/json.ts';
import { alertText } from '../text/alert-text.ts';
import { buildOpsgenieAlert, OPSGENIE_LIMITS } from './message.ts';

export const OPSGENIE_API_URL = 'https://api.opsgenie.com';

/**
 * Opsgenie Alert API: one Create Alert request per alert, with the key of an API integration.
 * https://docs.opsgenie.com/docs/alert-api#create-alert
 *
 * Opsgenie creates alerts asynchronously: it answers 202 with a `requestId`, kept as the
 * reference (GET /v2/alerts/requests/:requestId says how the request went). The shared status
 * table fits its answers (https://docs.opsgenie.com/docs/response): 401/403 a bad key fails as
 * auth, 422 an unprocessable body fails, 429 retries (after Retry-After when sent), 5xx retry.
 */
@output
export class OpsgenieOutput extends JsonWebhookOutput {
  static override readonly service = 'opsgenie';
  static override readonly displayName = 'Opsgenie';
  static override readonly properties = {
    descriptor: descriptorProperty('Opsgenie', 'team, integration, etc'),
    api_key: property('the API key of an Opsgenie API integration', { secret: true }),
    api_url: endpointProperty(`the Opsgenie API host, only to override the default (${OPSGENIE_API_URL}): https://api.eu.opsgenie.com for an account in the EU region`, OPSGENIE_API_URL),
  };
  static override readonly limits = {
    message: { max: OPSGENIE_LIMITS.descriptionChars, unit: 'characters', over: 'truncated' },
    // Opsgenie's Alert domain limits depend on the plan (a token bucket per minute and per
    // second); this stays under the smallest, and ratePerSecond raises it.
    rate: { perSecond: 2, burst: 10 },
    source: 'https://docs.opsgenie.com/docs/api-rate-limiting',
  } as const;
  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const apiKey = this.setting('api_key');
    return {
      url: `${this.setting('api_url').replace(/\/+$/, '')}/v2/alerts`,
      json: buildOpsgenieAlert(alert, alertText(alert, publication)),
      headers: { authorization: `GenieKey ${apiKey}` },
      secrets: [apiKey],
    };
  }

  /** `{"result": "Request will be processed", "requestId": ...}`: the request id is the reference. */
  protected override delivered(response: HttpResponse): DispatchResult {
    const requestId = parseJsonObject(response.body)?.requestId;
    return delivered(typeof requestId === 'string' && requestId !== '' ? requestId : undefined);
  }
}
