import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { JIRA_ISSUE_PROPERTIES, jiraLimits, JiraOutputBase } from '../jira-common/jira-output.ts';
import type { IssueContent } from '../jira-common/issue-content.ts';
import type { JiraDialect } from '../jira-common/jira-client.ts';

const FENCE = '{code';

/**
 * Jira Server and Data Center, REST API v2 (StreamAlert's `jira`): issues whose description is
 * Jira wiki markup, the alert document in a `{code:json}` block.
 * https://developer.atlassian.com/server/jira/platform/rest/v10000/api-group-issue/
 *
 * Authentication is HTTP Basic with the username and password on every request
 * (https://developer.atlassian.com/server/jira/platform/basic-authentication/). StreamAlert first
 * posted them to /rest/auth/1/session for a session cookie; that is a login request more per
 * attempt, a cookie to keep or to lose, and a session that a Data Center node may not share.
 * Basic needs none of that, and Jira answers a bad password with 401 (403 once it wants a
 * CAPTCHA), as the shared status table reads them.
 */
@output
export class JiraOutput extends JiraOutputBase {
  static override readonly service = 'jira';
  static override readonly displayName = 'Jira';
  static override readonly properties = {
    descriptor: descriptorProperty('Jira', 'project, team, etc'),
    username: property('the Jira username', { secret: true }),
    // Any character may be in a password.
    password: property('the Jira password', { secret: true, inputRestrictions: [] }),
    url: property('the Jira url, e.g. https://jira.example.com (with its context path, if any)', { secret: true, url: true, inputRestrictions: [' '] }),
    ...JIRA_ISSUE_PROPERTIES,
  };
  // Data Center's rate limiting, once an admin turns it on, defaults to 10 requests a second and
  // bursts of 100 per user; an alert makes up to two requests.
  static override readonly limits = jiraLimits({ perSecond: 5, burst: 50 }, 'https://confluence.atlassian.com/adminjiraserver/improving-instance-stability-with-rate-limiting-983794911.html');

  protected readonly dialect: JiraDialect = { apiPath: 'rest/api/2', searchResource: 'search', basicAuth: { user: 'username', password: 'password' } };

  /** Paragraphs, then the code block; `{code` inside the record is broken so it cannot close the block. */
  protected renderText(content: IssueContent): string {
    const paragraphs = content.paragraphs.join('\n\n');
    if (content.code === undefined) return paragraphs;
    return `${paragraphs}\n\n{code:json}\n${content.code.replaceAll(FENCE, '{\u200bcode')}\n{code}`;
  }
}
