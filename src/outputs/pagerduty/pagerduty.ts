import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { safeOrigin } from '../http/redact.ts';
import { buildTriggerEvent, PAGERDUTY_LIMITS } from './event.ts';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const JSON_CONTENT = { 'content-type': 'application/json' };

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
  // Typed wide: pagerduty-v2 is this output under StreamAlert's other id.
  static override readonly service: string = 'pagerduty';
  static override readonly displayName: string = 'PagerDuty';
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
  static override readonly limits = {
    // An event over 512 KB has its record cut to an excerpt (event.ts); one still over it (a
    // publisher's links or images) fails as too_large.
    message: { max: PAGERDUTY_LIMITS.eventBytes, unit: 'bytes', over: 'truncated' },
    // About 120 events a minute per integration key:
    // https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/05-Rate-Limits.md
    rate: { perSecond: 2, burst: 10 },
    source: 'https://developer.pagerduty.com/docs/events-api-v2/overview/#size-limits',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const routingKey = this.setting('routing_key');
    const url = this.setting('url');
    const event = buildTriggerEvent(alert, publication, routingKey);
    const body = JSON.stringify(event);
    const bytes = Buffer.byteLength(body);
    if (bytes > PAGERDUTY_LIMITS.eventBytes) {
      return failed('too_large', `the trigger event is ${bytes.toLocaleString('en-US')} bytes with its record cut, over PagerDuty's ${PAGERDUTY_LIMITS.eventBytes.toLocaleString('en-US')}-byte limit: a publisher's links, images or other fields are too large`);
    }
    const outcome = await this.context.http.send({ method: 'POST', url, body, headers: JSON_CONTENT, secrets: [routingKey], signal: attempt.signal });
    if (outcome.ok) return delivered(readDedupKey(outcome.response) ?? event.dedup_key);
    if (outcome.response?.status === 400) {
      const rejection = describeRejection(outcome.response);
      // PagerDuty answers a wrong routing key with a 400 too: the credential is what to fix.
      const reason = rejection?.onlyRoutingKey ? 'auth' : 'client_error';
      if (rejection) return failed(reason, this.redact(`${safeOrigin(url)} rejected the event (HTTP 400): ${rejection.text}`));
    }
    return outcome.result;
  }
}

/** The dedup_key PagerDuty answers with: its name for the alert, our reference. */
function readDedupKey(response: HttpResponse): string | undefined {
  const body = parseJsonObject(response.body);
  return typeof body?.dedup_key === 'string' && body.dedup_key !== '' ? body.dedup_key : undefined;
}

/**
 * PagerDuty's error answer `{status, message, errors: [...]}` as one line, and whether its only
 * complaint is the routing key (`Invalid routing key`); undefined when the body is not JSON.
 */
function describeRejection(response: HttpResponse): { text: string; onlyRoutingKey: boolean } | undefined {
  const body = parseJsonObject(response.body);
  if (!body) return undefined;
  const message = typeof body.message === 'string' ? body.message : String(body.status ?? 'invalid event');
  const errors = Array.isArray(body.errors) ? body.errors.filter((e): e is string => typeof e === 'string') : [];
  const quoted = errors.slice(0, MAX_QUOTED_ERRORS).join('; ');
  const more = errors.length > MAX_QUOTED_ERRORS ? ` (and ${errors.length - MAX_QUOTED_ERRORS} more)` : '';
  const onlyRoutingKey = errors.length > 0 && errors.every((error) => /routing.?key/i.test(error));
  return { text: quoted ? `${message}: ${quoted}${more}` : message, onlyRoutingKey };
}
