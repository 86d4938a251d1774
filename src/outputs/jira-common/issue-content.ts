import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { alertText, truncateText } from '../text/alert-text.ts';

/**
 * Jira's limits on what one issue holds. A summary must be less than 255 characters (Jira's
 * own validation message). The description and each comment are text fields of at most 32,767
 * characters: Jira Cloud's limit (its REST reference: "The maximum length is 32767 characters")
 * and Data Center's default `jira.text.field.character.limit`. For Cloud's Atlassian Document
 * Format we count the document's JSON, which is never less than its text.
 * https://confluence.atlassian.com/adminjiraserver/configuring-advanced-settings-938847818.html
 */
export const JIRA_LIMITS = {
  summaryChars: 254,
  textFieldChars: 32_767,
  /** Our choice: the rule's description leaves the rest of the field to the alert. */
  leadChars: 4_000,
} as const;

/** What an issue (or a comment on one) says of one alert, before a dialect renders it. */
export interface IssueContent {
  readonly summary: string;
  /** Paragraphs of plain text. */
  readonly paragraphs: readonly string[];
  /** The alert document as JSON, shown in a code block; absent when a publisher wrote the text. */
  readonly code?: string;
}

/**
 * An alert as StreamAlert's Jira outputs write it: the summary `StreamAlert <rule>` and the
 * publication as JSON, unless a publisher set `@jira.issue_summary` or `@jira.description`
 * (text in Jira's own syntax, sent as it is), as StreamAlert's publishers do.
 */
export function issueContent(alert: Alert, publication: Publication): IssueContent {
  const view = alertText(alert, publication);
  const published = publication['@jira.issue_summary'];
  const summary = truncateText(typeof published === 'string' && published.trim() !== '' ? published : `StreamAlert ${view.ruleName}`, JIRA_LIMITS.summaryChars);
  const description = publication['@jira.description'];
  if (typeof description === 'string' && description !== '') return { summary, paragraphs: [description] };
  const lead = view.ruleDescription ? [truncateText(view.ruleDescription, JIRA_LIMITS.leadChars)] : [];
  return { summary, paragraphs: [...lead, `Alert ${view.alertId} created ${view.created}`], code: JSON.stringify(withoutDirectives(publication), null, 2) };
}

/** The publication less the `@jira.*` directives meant for this output. */
function withoutDirectives(publication: Publication): Publication {
  return Object.fromEntries(Object.entries(publication).filter(([key]) => !key.startsWith('@jira.')));
}

/**
 * `content` rendered by `render` within `maxChars` (as `size` counts them): the code block, or
 * else the last paragraph, cut as little as needed (a binary search over its length) and ended
 * by a line saying how many characters were not shown.
 */
export function renderWithin<T>(content: IssueContent, render: (content: IssueContent) => T, size: (rendered: T) => number, maxChars: number): T {
  const whole = render(content);
  if (size(whole) <= maxChars) return whole;
  const text = content.code ?? content.paragraphs.at(-1) ?? '';
  const cut = (kept: number): IssueContent => {
    const shown = `${text.slice(0, kept)}\n… (${text.length - kept} more characters not shown)`;
    return content.code === undefined ? { ...content, paragraphs: [...content.paragraphs.slice(0, -1), shown] } : { ...content, code: shown };
  };
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (size(render(cut(middle))) <= maxChars) low = middle;
    else high = middle - 1;
  }
  return render(cut(low));
}

/**
 * The JQL that finds the open issue an alert of the same rule joins: same project, the same
 * summary (a phrase search, checked exactly once found), not in the Done status category,
 * created in the last day, newest first.
 * https://support.atlassian.com/jira-software-cloud/docs/search-for-work-items-using-the-text-field/
 *
 * @example
 *   openIssueJql('SEC', 'StreamAlert root_login')
 *   // 'project = "SEC" AND summary ~ "\"StreamAlert root_login\"" AND statusCategory != Done AND created >= -1d ORDER BY created DESC'
 */
export function openIssueJql(projectKey: string, summary: string): string {
  // Lucene's operators and quotes mean something even inside a phrase: they become spaces, and
  // the exact summary is compared on the answer instead.
  const phrase = summary.replace(/[+\-&|!(){}[\]^~*?\\:"/\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim();
  const text = phrase === '' ? '' : ` AND summary ~ ${jqlString(`"${phrase}"`)}`;
  return `project = ${jqlString(projectKey)}${text} AND statusCategory != Done AND created >= -1d ORDER BY created DESC`;
}

/** A JQL string literal: double quotes, with quotes and backslashes escaped. */
function jqlString(value: string): string {
  return `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}
