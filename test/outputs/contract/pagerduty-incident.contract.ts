import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { IncidentRequest } from '../../../src/outputs/pagerduty-incident/incident.ts';
import { httpContract } from '../../support/contract.ts';
import type { ReceivedRequest } from '../../support/receiver.ts';

const TOKEN = 'y_NbAkKc66ryYTWUXYEu';
const FROM = 'streamalert-bot@example.com';
const POLICY = 'Security On-Call';

/** PagerDuty's documented answers: the list endpoints' first page, and the created incident. */
function answer(request: ReceivedRequest) {
  const path = request.path.split('?')[0];
  if (path === '/users') return { status: 200, body: { users: [{ id: 'PXPGF42', type: 'user', name: 'StreamAlert', email: FROM }], limit: 25, offset: 0, more: false } };
  if (path === '/escalation_policies') return { status: 200, body: { escalation_policies: [{ id: 'PT20YPA', type: 'escalation_policy', name: POLICY }], more: false } };
  if (path === '/priorities') return { status: 200, body: { priorities: [{ id: 'PSO75BM', type: 'priority', name: 'P1' }, { id: 'P53ZZH5', type: 'priority', name: 'P2' }], more: false } };
  const key = (request.json as IncidentRequest).incident.incident_key;
  return { status: 201, body: { incident: { id: 'PT4KHLK', type: 'incident', incident_number: 1234, incident_key: key, status: 'triggered' } } };
}

export default httpContract({
  service: 'pagerduty-incident',
  docs: [
    'https://developer.pagerduty.com/api-reference/a7d81b0e9200f-create-an-incident',
    'https://github.com/PagerDuty/developer-docs/blob/main/docs/REST-API/15-Incident-Creation-API.md',
    'https://github.com/PagerDuty/developer-docs/blob/main/docs/REST-API/14-Errors.md',
    'https://github.com/PagerDuty/developer-docs/blob/main/docs/REST-API/04-Rate-Limits.md',
  ],
  idempotency: 'deduplicated by PagerDuty: the incident_key is the alert id on every attempt, and PagerDuty refuses (400, taken as delivered) a second open incident with that key on the service',
  values: (base) => ({ token: new Secret(TOKEN), service_name: 'Security', service_id: 'PWIXJZS', escalation_policy: POLICY, email_from: FROM, api: base }),
  secrets: [TOKEN],
  alertContext: { 'pagerduty-incident': { incident_priority: 'P1' } },
  answer,
  authFailure: { status: 401, body: { error: { message: 'Authentication failed', code: 2006 } } },
  rateLimited: { status: 429, headers: { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': '20' }, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } }, retryAfterMs: 20_000 },
  serverError: { status: 500, body: { error: { message: 'An internal error has occurred. PagerDuty team has been notified.', code: 2000 } } },
  check(requests, alert) {
    const priority = Object.keys(alert.context).length > 0;
    expect(requests.map(({ method, path }) => `${method} ${path.split('?')[0]}`)).toEqual([
      'GET /users',
      'GET /escalation_policies',
      ...(priority ? ['GET /priorities'] : []),
      'POST /incidents',
    ]);
    for (const request of requests) {
      expect(request.headers).toMatchObject({ accept: 'application/vnd.pagerduty+json;version=2', authorization: `Token token=${TOKEN}` });
    }
    expect(requests[0]!.path).toBe(`/users?query=${encodeURIComponent(FROM)}`);
    expect(requests[1]!.path).toBe(`/escalation_policies?query=${encodeURIComponent(POLICY)}`);
    const create = requests.at(-1)!;
    expect(create.headers).toMatchObject({ from: FROM, 'content-type': 'application/json' });
    const { incident } = create.json as IncidentRequest;
    expect(incident).toMatchObject({
      type: 'incident',
      title: `StreamAlert Incident - Rule triggered: ${alert.ruleName}`,
      service: { id: 'PWIXJZS', type: 'service_reference' },
      incident_key: alert.id,
      body: { type: 'incident_body' },
      escalation_policy: { id: 'PT20YPA', type: 'escalation_policy_reference' },
    });
    expect(incident.priority).toEqual(priority ? { id: 'PSO75BM', type: 'priority_reference' } : undefined);
    expect(incident.body.details.startsWith(alert.ruleDescription)).toBe(true);
  },
});
