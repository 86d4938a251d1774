import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { safeOrigin } from '../http/redact.ts';
import { buildTriggerEvent } from './event.ts';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** How many of PagerDuty's error strings a failure message quotes. */
const MAX_QUOTED_ERRORS = 5;

/**
 * PagerDuty Events API v2: one `trigger` event per alert, deduplicated by alert id.
 *
 * The shared status table already matches PagerDuty's documented answers, so there are no
 * overrides (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic):
 * 202 accepted; 400 invalid event, do not retry; 429 too many calls, retry later (honouring
 * Retry-After when sent); 5xx and network errors, retry later. A 400 is reported with PagerDuty's
 * own `errors` list, which says what to fix.
 */
@output
export class PagerDutyOutput extends OutputBase {
  static override readonly service = 'pagerduty';
  static override readonly displayName = 'PagerDuty';
  static override readonly properties = {
    descriptor: descriptorProperty('PagerDuty', 'service, team, etc'),
    routing_key: property('the integration key (routing key) of an Events API v2 integration on the PagerDuty service', { secret: true }),
    // Not secret: the key travels in the body. URLs contain colons, so only spaces are restricted.
    url: property('the Events API v2 URL, only to override the default (EU region, proxy)', {
      value: PAGERDUTY_EVENTS_URL,
      optional: true,
      url: true,
      inputRestrictions: [' '],
    }),
  };

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const routingKey = this.setting('routing_key');
    const url = this.setting('url');
    const event = buildTriggerEvent(alert, publication, routingKey);
    const outcome = await this.context.http.send({ method: 'POST', url, json: event, secrets: [routingKey], signal: attempt.signal });
    if (outcome.ok) return delivered(readDedupKey(outcome.response) ?? event.dedup_key);
    if (outcome.response?.status === 400) {
      const rejection = describeRejection(outcome.response);
      if (rejection) return failed('client_error', this.redact(`${safeOrigin(url)} rejected the event (HTTP 400): ${rejection}`));
    }
    return outcome.result;
  }
}

/** The dedup_key PagerDuty answers with: its name for the alert, our reference. */
function readDedupKey(response: HttpResponse): string | undefined {
  const body = parseJsonObject(response.body);
  return typeof body?.dedup_key === 'string' && body.dedup_key !== '' ? body.dedup_key : undefined;
}

/** PagerDuty's error answer `{status, message, errors: [...]}` as one line, or undefined. */
function describeRejection(response: HttpResponse): string | undefined {
  const body = parseJsonObject(response.body);
  if (!body) return undefined;
  const message = typeof body.message === 'string' ? body.message : String(body.status ?? 'invalid event');
  const errors = Array.isArray(body.errors) ? body.errors.filter((e): e is string => typeof e === 'string') : [];
  const quoted = errors.slice(0, MAX_QUOTED_ERRORS).join('; ');
  const more = errors.length > MAX_QUOTED_ERRORS ? ` (and ${errors.length - MAX_QUOTED_ERRORS} more)` : '';
  return quoted ? `${message}: ${quoted}${more}` : message;
}
