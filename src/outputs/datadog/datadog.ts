import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, retry, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { alertText } from '../text/alert-text.ts';
import { buildDatadogEvent, DATADOG_LIMITS } from './event.ts';

/** Datadog's sites (https://docs.datadoghq.com/getting_started/site/); each one's API is api.<site>. */
const SITES = ['datadoghq.com', 'datadoghq.eu', 'us3.datadoghq.com', 'us5.datadoghq.com', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'ddog-gov.com'] as const;

/**
 * Datadog events: one event per alert, POST /api/v1/events with the API key in `DD-API-KEY`,
 * answered 202 `{"status":"ok","event":{"id":..., "id_str":"..."}}`; the event id is the reference.
 * https://docs.datadoghq.com/api/latest/events/#post-an-event
 *
 * The shared status table fits Datadog's answers: 400 fails, 403 (a wrong API key) fails as
 * auth, 429 and 5xx retry; a 429 without Retry-After is retried after its `X-RateLimit-Reset`
 * seconds (https://docs.datadoghq.com/api/latest/rate-limits/).
 */
@output
export class DatadogOutput extends JsonWebhookOutput {
  static override readonly service = 'datadog';
  static override readonly displayName = 'Datadog';
  static override readonly properties = {
    descriptor: descriptorProperty('Datadog', 'team, environment, etc'),
    api_key: property('the Datadog API key', { secret: true }),
    site: property(`the Datadog site of your organisation (${SITES.join(', ')})`, { value: 'datadoghq.com', choices: SITES }),
    api_url: property('the full events API url, only to override the one the site gives (a proxy)', { url: true, optional: true, inputRestrictions: [' '] }),
    // Tags hold colons (team:security): only spaces are restricted.
    tags: property('tags to add to every event, comma separated (e.g. team:security,env:prod); empty for none', { optional: true, inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    message: { max: DATADOG_LIMITS.textChars, unit: 'characters', over: 'truncated' },
    source: 'https://docs.datadoghq.com/api/latest/events/#post-an-event',
  } as const;
  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const apiKey = this.setting('api_key');
    const tags = this.setting('tags').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
    return {
      url: this.setting('api_url') || datadogEventsUrl(this.setting('site')),
      json: buildDatadogEvent(alertText(alert, publication), { severity: alert.severity, created: alert.created, logSource: alert.logSource, tags }),
      headers: { 'dd-api-key': apiKey, accept: 'application/json' },
      secrets: [apiKey],
    };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    const event = parseJsonObject(response.body)?.event as Record<string, unknown> | undefined;
    // `id_str`: event ids pass 2^53, past which a JSON number loses digits.
    const id = typeof event?.id_str === 'string' ? event.id_str : typeof event?.id === 'number' ? String(event.id) : undefined;
    return delivered(id);
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    if (result.kind !== 'retry' || result.retryAfterMs !== undefined || response?.status !== 429) return result;
    const reset = Number(response.headers['x-ratelimit-reset']);
    return Number.isFinite(reset) && reset >= 0 ? retry(result.reason, result.message, Math.ceil(reset) * 1000) : result;
  }
}

/**
 * The Events API of a Datadog site: its API host is the site's name under `api.`.
 *
 * @example
 *   datadogEventsUrl('datadoghq.eu') // 'https://api.datadoghq.eu/api/v1/events'
 */
export function datadogEventsUrl(site: string): string {
  return `https://api.${site}/api/v1/events`;
}
