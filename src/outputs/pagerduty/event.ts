import type { Alert, Severity } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';

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

export interface PagerDutyLink {
  href: string;
  text?: string;
}

export interface PagerDutyImage {
  src: string;
  href?: string;
  alt?: string;
}

export interface PagerDutyTriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
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
 * Publishers may set `@pagerduty.summary`, `@pagerduty.custom_details`, `@pagerduty.links`
 * (`[{href, text?}]`) and `@pagerduty.images` (`[{src, href?, alt?}]`); invalid entries are dropped.
 *
 * @example
 *   buildTriggerEvent(alert, toAlertDocument(alert), routingKey).payload.summary
 *   // 'Rule triggered: cloudtrail_root_account_usage - The root account was used'
 */
export function buildTriggerEvent(alert: Alert, publication: Publication, routingKey: string): PagerDutyTriggerEvent {
  const description = String(publication.rule_description ?? alert.ruleDescription);
  const defaultSummary = `Rule triggered: ${alert.ruleName}${description ? ` - ${description}` : ''}`;
  const summary = nonEmptyString(publication['@pagerduty.summary']) ?? defaultSummary;

  const event: PagerDutyTriggerEvent = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: alert.id,
    client: 'StreamAlert',
    payload: {
      summary: truncate(summary, PAGERDUTY_LIMITS.summaryChars),
      // Required and must not be empty: the most specific origin we know of.
      source: alert.sourceEntity || alert.logSource || 'streamalert',
      severity: alert.severity,
      timestamp: alert.created.toISOString(),
      // StreamAlert's names: log source = the schema ('cloudtrail:events'), source service =
      // where records came from ('s3', 'kinesis'); log type is only the parser ('json').
      ...optional('component', alert.sourceService),
      ...optional('group', alert.ruleName),
      ...optional('class', alert.logSource),
      custom_details: publication['@pagerduty.custom_details'] ?? publication.record ?? alert.record,
    },
  };
  const links = standardLinks(publication['@pagerduty.links']);
  const images = standardImages(publication['@pagerduty.images']);
  if (links.length > 0) event.links = links;
  if (images.length > 0) event.images = images;
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

function standardLinks(value: unknown): PagerDutyLink[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item)) return [];
    const href = nonEmptyString(item.href);
    if (!href) return [];
    const text = nonEmptyString(item.text);
    return [text ? { href, text } : { href }];
  });
}

function standardImages(value: unknown): PagerDutyImage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item)) return [];
    const src = nonEmptyString(item.src);
    if (!src) return [];
    const href = nonEmptyString(item.href);
    const alt = nonEmptyString(item.alt);
    return [{ src, ...(href ? { href } : {}), ...(alt ? { alt } : {}) }];
  });
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

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
