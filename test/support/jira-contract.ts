import { expect } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import type { Secret } from '../../src/secrets/secret.ts';
import { httpContract, type ServiceContract } from './contract.ts';
import type { ReceivedRequest } from './receiver.ts';

// The contract both Jira services share: the same flow against the two REST APIs. With
// aggregate on, the stand-in's search finds an open issue for the sample alert's rule (so that
// alert becomes a comment) and none for the test alert's (so it becomes a new issue): both
// branches of the flow, each step answered as Jira documents it.

/** The rule whose open issue the stand-in's search finds. */
export const AGGREGATED_RULE = 'cloudtrail_root_account_usage';
export const OPEN_ISSUE = { id: '10001', key: 'SEC-1' };
export const CREATED_ISSUE = { id: '10002', key: 'SEC-2' };

export interface JiraContractSpec {
  service: string;
  docs: readonly string[];
  /** e.g. /rest/api/2 */
  apiPath: string;
  /** e.g. /rest/api/2/search */
  searchPath: string;
  values(baseUrl: string): Record<string, string | Secret>;
  secrets: readonly string[];
  /** The Authorization header the vendor documents for these values. */
  authorization: string;
  authFailure: { status: number; body?: string | object; headers?: Record<string, string> };
  /** Asserts a description or comment body holds the alert, in the API's text format. */
  checkText(text: unknown, alert: Alert): void;
}

export function jiraContract(spec: JiraContractSpec): ServiceContract {
  const searchQuery = (request: ReceivedRequest) => new URL(request.path, 'http://jira').searchParams;
  return httpContract({
    service: spec.service,
    docs: spec.docs,
    idempotency:
      'none: Jira takes no idempotency key. A retry after a lost answer may create a second issue; with aggregate on, the retry finds the first issue and adds the alert to it as a comment instead',
    values: spec.values,
    secrets: spec.secrets,
    answer(request) {
      if (request.method === 'GET') {
        const summary = `StreamAlert ${AGGREGATED_RULE}`;
        const issues = searchQuery(request).get('jql')?.includes(AGGREGATED_RULE) ? [{ ...OPEN_ISSUE, self: `http://jira${spec.apiPath}/issue/10001`, fields: { summary } }] : [];
        return { status: 200, body: { startAt: 0, maxResults: 10, total: issues.length, issues, isLast: true } };
      }
      if (request.path.endsWith('/comment')) return { status: 201, body: { id: '10100', self: `http://jira${spec.apiPath}/issue/10001/comment/10100` } };
      return { status: 201, body: { ...CREATED_ISSUE, self: `http://jira${spec.apiPath}/issue/10002` } };
    },
    authFailure: spec.authFailure,
    check(requests, alert) {
      for (const request of requests) {
        expect(request.headers.authorization).toBe(spec.authorization);
        expect(request.headers.accept).toBe('application/json');
      }
      const [search, write] = requests;
      expect(requests).toHaveLength(2);
      expect(search).toMatchObject({ method: 'GET' });
      expect(search!.path.split('?')[0]).toBe(spec.searchPath);
      const query = searchQuery(search!);
      expect(query.get('jql')).toBe(`project = "SEC" AND summary ~ "\\"StreamAlert ${alert.ruleName}\\"" AND statusCategory != Done AND created >= -1d ORDER BY created DESC`);
      expect(query.get('fields')).toBe('summary');
      expect(write!.headers['content-type']).toBe('application/json');
      if (alert.ruleName === AGGREGATED_RULE) {
        expect(write).toMatchObject({ method: 'POST', path: `${spec.apiPath}/issue/${OPEN_ISSUE.key}/comment` });
        spec.checkText((write!.json as { body: unknown }).body, alert);
        return;
      }
      expect(write).toMatchObject({ method: 'POST', path: `${spec.apiPath}/issue` });
      const { fields } = write!.json as { fields: Record<string, unknown> };
      expect(fields).toMatchObject({ project: { key: 'SEC' }, summary: `StreamAlert ${alert.ruleName}`, issuetype: { name: 'Security Alert' } });
      spec.checkText(fields.description, alert);
    },
  });
}
