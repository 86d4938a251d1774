import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { renderRecord } from '../slack/render.ts';

/**
 * What a chat message shows of one alert, read from the publication first (publishers may
 * rewrite it) and from the alert otherwise. Shared by the chat outputs (Slack, Discord,
 * Mattermost), which differ only in where these go in their bodies.
 */
export interface AlertText {
  ruleName: string;
  ruleDescription: string;
  record: unknown;
  alertId: string;
  created: string;
}

export function alertText(alert: Alert, publication: Publication): AlertText {
  return {
    ruleName: String(publication.rule_name ?? alert.ruleName),
    ruleDescription: String(publication.rule_description ?? alert.ruleDescription),
    record: publication.record ?? alert.record,
    alertId: alert.id,
    created: typeof publication.created === 'string' ? publication.created : alert.created.toISOString(),
  };
}

const FENCE = '```';

/**
 * The record rendered readably (see renderRecord) in a Markdown code block of at most
 * `maxChars` characters, fences included. A record too large is cut at a line where it can be,
 * and a last line outside the block says how many characters were not shown. Runs of three
 * backticks in the record are broken with a zero-width space so they cannot close the block.
 *
 * @example
 *   recordCodeBlock({ user: 'root' }, 100) // '```\nuser: root\n```'
 */
export function recordCodeBlock(record: unknown, maxChars: number): string {
  return cutRecord(renderRecord(record).replaceAll(FENCE, '``\u200b`'), maxChars, `${FENCE}\n`, `\n${FENCE}`);
}

/**
 * The record rendered readably, as plain text for services that show no Markdown (Telegram,
 * Pushover, ntfy), in at most `maxChars` characters: cut as recordCodeBlock cuts it, saying so.
 *
 * @example
 *   recordPlainText({ user: 'root' }, 100) // 'user: root'
 */
export function recordPlainText(record: unknown, maxChars: number): string {
  return cutRecord(renderRecord(record), maxChars, '', '');
}

/** `open + text + close` in at most `maxChars`: `text` cut at a line end where it can be, and a last line saying how much was not shown. */
function cutRecord(text: string, maxChars: number, open: string, close: string): string {
  const whole = `${open}${text}${close}`;
  if (whole.length <= maxChars) return whole;
  // The note's length depends on the count it prints; the count's digits are bounded by text's.
  const noteFor = (omitted: number) => `\n(record truncated: ${omitted} more characters not shown)`;
  const room = Math.max(0, maxChars - open.length - close.length - noteFor(text.length).length);
  const cut = text.lastIndexOf('\n', room);
  const shown = cut > room / 2 ? text.slice(0, cut) : sliceChars(text, room);
  return `${open}${shown}${close}${noteFor(text.length - shown.length)}`;
}

/** The first `end` UTF-16 units of `text`, one fewer rather than half of a surrogate pair (an emoji), which no vendor accepts alone. */
function sliceChars(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/**
 * `text` cut to at most `maxChars` characters, ending in an ellipsis when cut.
 *
 * @example
 *   truncateText('abcdef', 4) // 'abc…'
 */
export function truncateText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${sliceChars(text, Math.max(0, maxChars - 1))}…`;
}

/**
 * The rule's description (at most a quarter of the room), a blank line, then the record as
 * plain text, in at most `maxChars` characters: the one text field of an incident tool
 * (Splunk On-Call's state message, Opsgenie's description, a PagerDuty incident's body).
 *
 * @example
 *   plainAlertText({ ...view, ruleDescription: 'Root login', record: { user: 'root' } }, 100)
 *   // 'Root login\n\nuser: root'
 */
export function plainAlertText(view: AlertText, maxChars: number): string {
  const description = view.ruleDescription ? `${truncateText(view.ruleDescription, Math.floor(maxChars / 4))}\n\n` : '';
  return description + recordPlainText(view.record, maxChars - description.length);
}
