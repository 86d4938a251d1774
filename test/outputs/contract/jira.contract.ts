import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import { jiraContract } from '../../support/jira-contract.ts';

const PASSWORD = 'c0rrect horse:battery-staple';

export default jiraContract({
  service: 'jira',
  docs: [
    'https://developer.atlassian.com/server/jira/platform/rest/v10000/api-group-issue/',
    'https://developer.atlassian.com/server/jira/platform/rest/v10000/api-group-search/',
    'https://developer.atlassian.com/server/jira/platform/basic-authentication/',
  ],
  apiPath: '/jira/rest/api/2',
  searchPath: '/jira/rest/api/2/search',
  values: (base) => ({
    username: new Secret('streamalert-bot'),
    password: new Secret(PASSWORD),
    url: new Secret(`${base}/jira`),
    project_key: 'SEC',
    issue_type: 'Security Alert',
    aggregate: 'yes',
  }),
  secrets: [PASSWORD],
  authorization: `Basic ${Buffer.from(`streamalert-bot:${PASSWORD}`).toString('base64')}`,
  // Jira Server's answer to a wrong password under Basic auth.
  authFailure: { status: 401, headers: { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' }, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'] } },
  checkText(text, alert) {
    expect(typeof text).toBe('string');
    expect(text).toContain(`Alert ${alert.id} created`);
    expect(text).toMatch(/\{code:json\}\n\{\n[\s\S]*\n\}\n\{code\}$/);
    expect(text).toContain(`"rule_name": "${alert.ruleName}"`);
  },
});
