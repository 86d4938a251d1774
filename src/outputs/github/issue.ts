import type { Publication } from '../output.ts';
import { recordCodeBlock, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * GitHub's limits on an issue: a body of at most 65,536 characters (its validation error:
 * "body is too long (maximum is 65536 characters)"), and a title we keep to 256.
 * https://docs.github.com/en/rest/issues/issues#create-an-issue
 */
export const GITHUB_LIMITS = {
  bodyChars: 65_536,
  titleChars: 256,
  /** Our choice: the rule's description leaves the rest of the body to the record. */
  descriptionChars: 4_000,
} as const;

/** The JSON body of a create-issue request, for readers of it (tests). */
export interface GithubIssue {
  title: string;
  body: string;
  labels: string[];
}

/**
 * One alert as a GitHub issue, in StreamAlert's layout: the title `StreamAlert: <rule>`, a
 * Description section and an Event data section with the record in a code block, and the alert
 * id; or a publisher's `@github.title` and `@github.body` (Markdown, sent as it is), as in
 * StreamAlert. The body is cut to GitHub's limit: the record, saying how much was left out.
 */
export function buildGithubIssue(view: AlertText, publication: Publication, labels: string[]): GithubIssue {
  const title = truncateText(publishedText(publication['@github.title']) ?? `StreamAlert: ${view.ruleName}`, GITHUB_LIMITS.titleChars);
  const published = publishedText(publication['@github.body']);
  if (published !== undefined) return { title, body: truncateText(published, GITHUB_LIMITS.bodyChars), labels };
  const head = `### Description\n${truncateText(view.ruleDescription, GITHUB_LIMITS.descriptionChars)}\n\n### Event data\n\n`;
  const foot = `\n\nAlert \`${truncateText(view.alertId, 128)}\` created ${truncateText(view.created, 64)}`;
  return { title, body: head + recordCodeBlock(view.record, GITHUB_LIMITS.bodyChars - head.length - foot.length) + foot, labels };
}

function publishedText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The labels property as GitHub wants them: StreamAlert's comma-separated list, trimmed, empty
 * ones left out.
 *
 * @example
 *   labelList('security, alert,,') // ['security', 'alert']
 */
export function labelList(labels: string): string[] {
  return labels.split(',').map((label) => label.trim()).filter((label) => label !== '');
}
