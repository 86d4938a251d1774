import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property, type OutputProperty } from '../property.ts';
import { delivered, type DispatchResult } from '../result.ts';
import type { RateLimit, ServiceLimits } from '../limits.ts';
import { basicAuthorization } from '../http/basic-auth.ts';
import { JiraClient, type JiraDialect } from './jira-client.ts';
import { issueContent, JIRA_LIMITS, openIssueJql, renderWithin, type IssueContent } from './issue-content.ts';

/** The properties both Jira services share, in StreamAlert's names and order (after the credentials). */
export const JIRA_ISSUE_PROPERTIES = {
  project_key: property('the Jira project key where issues are created (e.g. SEC)'),
  // Issue type names may hold spaces ("Service Request"); Jira matches them case-sensitively.
  issue_type: property('the Jira issue type, as Jira spells it (e.g. Task, not task)', { inputRestrictions: [] }),
  aggregate: property('the Jira aggregation behavior: yes adds an alert as a comment to the open issue of its rule created in the last day, no creates an issue per alert (yes/no)', {
    value: 'no',
    choices: ['yes', 'no'],
  }),
} satisfies Record<string, OutputProperty>;

/** A Jira service's limits: the text field's, truncated (issue-content.ts), and its own rate. */
export function jiraLimits(rate: RateLimit, source: string) {
  return { message: { max: JIRA_LIMITS.textFieldChars, unit: 'characters', over: 'truncated' }, rate, source } as const satisfies ServiceLimits;
}

/**
 * The flow both Jira outputs share (StreamAlert's JiraOutput and JiraOutputV2): one attempt of
 * at most two requests, all on the attempt's signal. With `aggregate` on, a JQL search for an
 * open issue of the same rule created in the last day, and a comment on it if there is one; else
 * (or when there is none) a new issue. The first request that fails ends the attempt with its own
 * classified result: a search that fails is never taken for "no issue" (StreamAlert would then
 * create a duplicate), nor a comment that fails for a reason to create one.
 *
 * A subclass names its API (`dialect`), its credentials and how it writes rich text.
 */
export abstract class JiraOutputBase extends OutputBase {
  protected abstract readonly dialect: JiraDialect;

  /** A description or comment body in this API's format, from the content cut to fit. */
  protected abstract renderText(content: IssueContent): unknown;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const content = issueContent(alert, publication);
    const text = renderWithin(content, (fitted) => this.renderText(fitted), textSize, JIRA_LIMITS.textFieldChars);
    const jira = new JiraClient(this.context.http, this.dialect, {
      baseUrl: this.setting('url'),
      authorization: basicAuthorization(this.setting(this.dialect.basicAuth.user), this.setting(this.dialect.basicAuth.password)),
      secrets: this.secretValues(),
      signal: attempt.signal,
    });
    const projectKey = this.setting('project_key');
    if (this.setting('aggregate') === 'yes') {
      const open = await jira.findIssue(openIssueJql(projectKey, content.summary), content.summary);
      if (!open.ok) return open.result;
      if (open.value !== undefined) {
        const comment = await jira.addComment(open.value, text);
        if (!comment.ok) return comment.result;
        return delivered(comment.value === undefined ? open.value : `${open.value}#comment-${comment.value}`);
      }
    }
    const issue = await jira.createIssue({ project: { key: projectKey }, summary: content.summary, description: text, issuetype: { name: this.setting('issue_type') } });
    return issue.ok ? delivered(issue.value) : issue.result;
  }
}

/** Characters as Jira counts them: a text's own, or a document's JSON. */
function textSize(rendered: unknown): number {
  return typeof rendered === 'string' ? rendered.length : JSON.stringify(rendered).length;
}
