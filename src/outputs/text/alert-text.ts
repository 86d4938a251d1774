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
  const text = renderRecord(record).replaceAll(FENCE, '``\u200b`');
  const whole = `${FENCE}\n${text}\n${FENCE}`;
  if (whole.length <= maxChars) return whole;
  // The note's length depends on the count it prints; the count's digits are bounded by text's.
  const noteFor = (omitted: number) => `\n(record truncated: ${omitted} more characters not shown)`;
  const room = Math.max(0, maxChars - (2 * FENCE.length + 2) - noteFor(text.length).length);
  const cut = text.lastIndexOf('\n', room);
  const shown = text.slice(0, cut > room / 2 ? cut : room);
  return `${FENCE}\n${shown}\n${FENCE}${noteFor(text.length - shown.length)}`;
}

/**
 * `text` cut to at most `maxChars` characters, ending in an ellipsis when cut.
 *
 * @example
 *   truncateText('abcdef', 4) // 'abc…'
 */
export function truncateText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}
