// The built-in publishers. Importing this module registers them; rules name them as strings.
import type { Alert } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import { escapeMrkdwn } from '../outputs/slack/render.ts';
import { publisher, type PublicationDraft } from './publisher.ts';

/**
 * Drops the fields only StreamAlert itself needs (`staged`, `publishers`, `outputs`), as
 * StreamAlert's publisher of the same name.
 */
export const removeInternalFields = publisher('remove_internal_fields', (_alert, publication) => {
  delete publication.staged;
  delete publication.publishers;
  delete publication.outputs;
  return publication;
});

/**
 * Deletes, at any depth, every key matching one of the regular expressions listed in the
 * rule's `context.remove_fields`, e.g. `{ remove_fields: ['^sessionContext$', 'Token'] }`.
 */
export const removeFields = publisher('remove_fields', (alert, publication) => {
  const patterns = contextList(alert, 'remove_fields').map((source) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new Error(`remove_fields: context.remove_fields has an invalid regular expression '${source}' (${(error as Error).message})`);
    }
  });
  const prune = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(prune);
    else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (patterns.some((pattern) => pattern.test(key))) delete value[key];
        else prune(value[key]);
      }
    }
  };
  prune(publication);
  return publication;
});

/**
 * Flattens the document to one level with dotted keys (`record.userIdentity.type`,
 * `record.resources[0].ARN`), sorted: nested objects render poorly in some outputs' UIs.
 */
export const enumerateFields = publisher('enumerate_fields', (_alert, publication) => {
  const flat: Array<[string, unknown]> = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value) && value.length > 0) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    } else flat.push([path, value]);
  };
  walk(publication, '');
  return Object.fromEntries(flat.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
});

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

/**
 * Puts the document's fields (all but `@`-prefixed output settings) in
 * `@pagerduty.custom_details`, which PagerDuty shows as the incident's details table.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (payload.custom_details)
 */
export const pagerdutyCustomDetails = publisher('pagerduty_custom_details', (_alert, publication) => {
  const details = Object.fromEntries(Object.entries(publication).filter(([key]) => !key.startsWith('@')));
  return { ...publication, '@pagerduty.custom_details': details };
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

function valueAt(record: PublicationDraft, path: string): unknown {
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

function contextList(alert: Alert, key: string): string[] {
  const value = alert.context[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new Error(`context.${key} must be a list of strings`);
  return value as string[];
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
