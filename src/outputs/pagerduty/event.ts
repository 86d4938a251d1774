import type { Alert, Severity } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { publishedEventFields, type PagerDutyImage, type PagerDutyLink } from './published.ts';

/**
 * PagerDuty Events API v2, "Send an Alert Event".
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 * (source: https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/02-Trigger-Events.md)
 *
 * Documented limits we must stay within:
 * - `payload.summary`: at most 1,024 characters; `dedup_key`: at most 255 (ours is an alert id, a UUID).
 * - A whole event: at most 512 KB.
 *   https://developer.pagerduty.com/docs/events-api-v2/overview/#size-limits
 */
export const PAGERDUTY_LIMITS = {
  summaryChars: 1024,
  eventBytes: 512 * 1024,
  /** How much of an oversized record we still show, as JSON text. */
  recordExcerptChars: 8 * 1024,
} as const;

export interface PagerDutyTriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
  client_url?: string;
  payload: {
    summary: string;
    source: string;
    severity: Severity;
    timestamp: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: unknown;
  };
  links?: PagerDutyLink[];
  images?: PagerDutyImage[];
}

/**
 * Builds the trigger event for one alert. The dedup_key is the alert id, so a retry of the same
 * alert lands on the same PagerDuty alert instead of opening a second incident.
 *
 * Publishers may set the summary, custom details, severity, client URL, component, group,
 * class, links and images, with StreamAlert's fields or ours (published.ts says which).
 *
 * @example
 *   buildTriggerEvent(alert, toAlertDocument(alert), routingKey).payload.summary
 *   // 'Rule triggered: cloudtrail_root_account_usage - The root account was used'
 */
export function buildTriggerEvent(alert: Alert, publication: Publication, routingKey: string): PagerDutyTriggerEvent {
  const description = String(publication.rule_description ?? alert.ruleDescription);
  const defaultSummary = `Rule triggered: ${alert.ruleName}${description ? ` - ${description}` : ''}`;
  const published = publishedEventFields(publication);

  const event: PagerDutyTriggerEvent = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: alert.id,
    client: 'StreamAlert',
    ...optional('client_url', published.clientUrl ?? ''),
    payload: {
      summary: truncate(published.summary ?? defaultSummary, PAGERDUTY_LIMITS.summaryChars),
      // Required and must not be empty: the most specific origin we know of.
      source: alert.sourceEntity || alert.logSource || 'streamalert',
      severity: published.severity ?? alert.severity,
      timestamp: alert.created.toISOString(),
      // StreamAlert's names: log source = the schema ('cloudtrail:events'), source service =
      // where records came from ('s3', 'kinesis'); log type is only the parser ('json').
      ...optional('component', published.component ?? alert.sourceService),
      ...optional('group', published.group ?? alert.ruleName),
      ...optional('class', published.class ?? alert.logSource),
      custom_details: published.customDetails ?? publication.record ?? alert.record,
    },
  };
  if (published.links.length > 0) event.links = published.links;
  if (published.images.length > 0) event.images = published.images;
  return fitSizeLimit(event);
}

/**
 * An event over PagerDuty's size limit would be refused with a 400 and nobody would be paged, so
 * an oversized record is replaced by an excerpt and a note saying how much was left out.
 */
function fitSizeLimit(event: PagerDutyTriggerEvent): PagerDutyTriggerEvent {
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes <= PAGERDUTY_LIMITS.eventBytes) return event;
  const recordJson = JSON.stringify(event.payload.custom_details) ?? '';
  const excerpt = truncate(recordJson, PAGERDUTY_LIMITS.recordExcerptChars);
  return {
    ...event,
    payload: {
      ...event.payload,
      custom_details: {
        note: `The record was cut: the event was ${bytes} bytes, over PagerDuty's ${PAGERDUTY_LIMITS.eventBytes}-byte limit. The alert store keeps it whole.`,
        record_excerpt: excerpt,
      },
    },
  };
}

/**
 * Cuts `text` to at most `maxChars` UTF-16 units, ending in an ellipsis, never splitting a
 * surrogate pair: within the limit however PagerDuty counts characters.
 */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = text.slice(0, maxChars - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** `{ [key]: value }` when value is non-empty, else nothing: empty optional fields are left out. */
function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
