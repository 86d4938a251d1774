// Our own Slack summary, in Block Kit (StreamAlert's Summary, in legacy attachments, is in
// slack-layout.ts).
import type { Alert } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import { escapeMrkdwn } from '../outputs/slack/render.ts';
import { contextList } from './context.ts';
import { publisher } from './publisher.ts';

/**
 * Slack's limits for the blocks used here.
 * https://api.slack.com/reference/block-kit/blocks#header (text <= 150 characters)
 * https://api.slack.com/reference/block-kit/blocks#section (text <= 3,000; at most 10 fields of <= 2,000)
 */
const SLACK = { headerChars: 150, sectionChars: 3000, fields: 10, fieldChars: 2000 } as const;

/**
 * A short Slack message instead of the full record: the rule, its description, up to ten
 * fields of the record and the alert id. The fields are the dotted paths listed in
 * `context.summary_fields`, else the record's first top-level text, number and boolean values.
 * Sets `@slack.text` and `@slack.blocks`, which the Slack output sends as they are.
 */
export const slackSummary = publisher('slack_summary', (alert, publication) => {
  const title = `Rule triggered: ${alert.ruleName}`;
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK.headerChars) } }];
  if (alert.ruleDescription) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(alert.ruleDescription), SLACK.sectionChars) } });
  const fields = summaryFields(alert).slice(0, SLACK.fields);
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map(([name, value]) => ({ type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(value)}`, SLACK.fieldChars) })),
    });
  }
  const facts = [`Severity: *${alert.severity}*`, `Log: ${escapeMrkdwn(alert.logSource)}`, `Alert \`${alert.id}\``, alert.created.toISOString()];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' | ') }] });
  return { ...publication, '@slack.text': escapeMrkdwn(title), '@slack.blocks': blocks };
});

/** The fields a summary shows: [name, text] pairs. */
function summaryFields(alert: Alert): Array<[string, string]> {
  const paths = contextList(alert, 'summary_fields');
  if (paths.length > 0) {
    return paths.flatMap((path): Array<[string, string]> => {
      const value = valueAt(alert.record, path);
      return value === undefined ? [] : [[path, display(value)]];
    });
  }
  return Object.entries(alert.record)
    .filter(([, value]) => (typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean')
    .map(([name, value]) => [name, String(value)]);
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
