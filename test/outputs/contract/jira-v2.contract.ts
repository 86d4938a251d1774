import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { AdfDocument } from '../../../src/outputs/jira-v2/adf.ts';
import { jiraContract } from '../../support/jira-contract.ts';

const API_TOKEN = 'ATATT3xFfGF0T4rQm9vZk2sP7wLyN1bC5dE8hJ0uXo6iA3gK';

export default jiraContract({
  service: 'jira-v2',
  docs: [
    'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post',
    'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get',
    'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post',
    'https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/',
    'https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/',
  ],
  apiPath: '/rest/api/3',
  searchPath: '/rest/api/3/search/jql',
  values: (base) => ({ api_key: new Secret(API_TOKEN), user_name: 'bot@example.com', url: base, project_key: 'SEC', issue_type: 'Security Alert', aggregate: 'yes' }),
  secrets: [API_TOKEN],
  authorization: `Basic ${Buffer.from(`bot@example.com:${API_TOKEN}`).toString('base64')}`,
  // Cloud's answer to a bad or revoked API token.
  authFailure: { status: 401, body: 'Client must be authenticated to access this resource.' },
  checkText(text, alert) {
    const doc = text as AdfDocument;
    expect(doc).toMatchObject({ type: 'doc', version: 1 });
    const code = doc.content.at(-1)!;
    expect(code).toMatchObject({ type: 'codeBlock', attrs: { language: 'json' } });
    expect(JSON.parse(code.content[0]!.text)).toMatchObject({ id: alert.id, rule_name: alert.ruleName });
    expect(doc.content.some((block) => block.type === 'paragraph' && block.content[0]!.text.startsWith(`Alert ${alert.id} created`))).toBe(true);
  },
});
