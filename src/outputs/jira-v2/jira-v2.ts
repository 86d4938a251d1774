import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { JIRA_ISSUE_PROPERTIES, jiraLimits, JiraOutputBase } from '../jira-common/jira-output.ts';
import type { IssueContent } from '../jira-common/issue-content.ts';
import type { JiraDialect } from '../jira-common/jira-client.ts';
import { adfDocument, type AdfDocument } from './adf.ts';

/**
 * Jira Cloud, REST API v3 (StreamAlert's `jira-v2`, with its property names): issues and
 * comments in Atlassian Document Format, Basic auth with the account's email and an API token
 * (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/). The search is
 * the JQL search that replaced /rest/api/3/search
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get).
 */
@output
export class JiraV2Output extends JiraOutputBase {
  static override readonly service = 'jira-v2';
  static override readonly displayName = 'Jira Cloud';
  static override readonly properties = {
    descriptor: descriptorProperty('Jira Cloud', 'project, team, etc'),
    api_key: property('the Jira API token, generated at https://id.atlassian.com/manage-profile/security/api-tokens', { secret: true, inputRestrictions: [' '] }),
    user_name: property('the email of the Atlassian account the API token belongs to, e.g. username@company.com'),
    url: property('the base URL of your Jira site, e.g. https://company.atlassian.net', { url: true, inputRestrictions: [' '] }),
    ...JIRA_ISSUE_PROPERTIES,
  };
  // Cloud publishes no figure for API-token traffic (burst limits per endpoint, and per issue on
  // writes), only 429s with Retry-After: a pace of our own, for two requests an alert.
  static override readonly limits = jiraLimits({ perSecond: 5, burst: 10 }, 'https://developer.atlassian.com/cloud/jira/platform/rate-limiting/');

  protected readonly dialect: JiraDialect = { apiPath: 'rest/api/3', searchResource: 'search/jql', basicAuth: { user: 'user_name', password: 'api_key' } };

  protected renderText(content: IssueContent): AdfDocument {
    return adfDocument(content);
  }
}
