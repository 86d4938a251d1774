import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { GithubIssue } from '../../../src/outputs/github/issue.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU';

export default httpContract({
  service: 'github',
  docs: [
    'https://docs.github.com/en/rest/issues/issues#create-an-issue',
    'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api',
    'https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api',
  ],
  idempotency: 'none: the issues API takes no idempotency key, so a retry after a lost answer may open a second issue (its body names the alert id)',
  // A GitHub Enterprise Server base, to show the API base URL is kept with its path.
  values: (base) => ({ repository: 'acme/security-alerts', labels: 'security, streamalert', access_token: new Secret(TOKEN), api: `${base}/api/v3` }),
  secrets: [TOKEN],
  answer: () => ({ status: 201, body: { id: 1, number: 42, html_url: 'https://github.example.com/acme/security-alerts/issues/42', state: 'open' } }),
  authFailure: { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v3/repos/acme/security-alerts/issues' });
    expect(request!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
    });
    expect(request!.headers['user-agent']).toBeTruthy();
    const issue = request!.json as GithubIssue;
    expect(issue.title).toBe(`StreamAlert: ${alert.ruleName}`);
    expect(issue.labels).toEqual(['security', 'streamalert']);
    expect(issue.body).toMatch(/^### Description\n[\s\S]*\n\n### Event data\n\n```\n/);
    expect(issue.body).toContain(`Alert \`${alert.id}\``);
  },
});
