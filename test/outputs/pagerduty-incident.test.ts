import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument, type Alert } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildIncident, INCIDENT_LIMITS, type IncidentRequest } from '../../src/outputs/pagerduty-incident/incident.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { LoopbackReceiver, type Scripted } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { waitUntil } from '../support/cli.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Create an incident: https://developer.pagerduty.com/api-reference/a7d81b0e9200f-create-an-incident
// Errors: https://github.com/PagerDuty/developer-docs/blob/main/docs/REST-API/14-Errors.md
// Rate limits (ratelimit-reset): https://github.com/PagerDuty/developer-docs/blob/main/docs/REST-API/04-Rate-Limits.md
const context = testContext();
// So patient that only the attempt's signal can end a hung request within the test's time.
const signalOnly = testContext(10 * 60_000);
const TOKEN = 'u+Qm3fX9aZ_Lk2pW7sVt';
const FROM = 'streamalert-bot@example.com';
const SERVICE = { id: 'PWIXJZS', type: 'service_reference' } as const;
const POLICY = { escalation_policy: { id: 'PT20YPA', type: 'escalation_policy_reference' } } as const;

const page = (collection: string, items: object[]): Scripted => ({ status: 200, body: { [collection]: items, limit: 25, offset: 0, more: false } });
const user = (id: string, email: string) => ({ id, type: 'user', name: email.split('@')[0], email });
const created: Scripted = { status: 201, body: { incident: { id: 'PT4KHLK', type: 'incident', status: 'triggered' } } };

describe('pagerduty-incident request', () => {
  const build = (alert: Alert, publication = toAlertDocument(alert) as Record<string, unknown>) =>
    buildIncident(alert, publication, alertText(alert, publication), { service: SERVICE, assignment: POLICY });

  it("takes StreamAlert's publisher fields for the title, body and urgency, and only urgencies PagerDuty knows", () => {
    const alert = sampleAlert();
    const published = { ...toAlertDocument(alert), '@pagerduty-incident.incident_title': 'Root login', '@pagerduty-incident.incident_body': 'See the runbook', '@pagerduty-incident.urgency': 'low' };
    expect(build(alert, published).incident).toMatchObject({ title: 'Root login', body: { details: 'See the runbook' }, urgency: 'low' });
    expect(build(alert, { ...published, '@pagerduty-incident.urgency': 'urgent' }).incident.urgency).toBeUndefined();
  });

  it('cuts the title and the body to their limits, saying how much of the record was left out', () => {
    const record = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const { incident } = build(sampleAlert({ ruleName: 'r'.repeat(2000), record }));
    expect(incident.title.length).toBeLessThanOrEqual(INCIDENT_LIMITS.titleChars);
    expect(incident.body.details.length).toBeLessThanOrEqual(INCIDENT_LIMITS.detailsChars);
    expect(incident.body.details).toMatch(/\(record truncated: \d+ more characters not shown\)$/);
  });

  it("leaves the record out of the body when the rule's context says with_record: false", () => {
    const { incident } = build(sampleAlert({ context: { 'pagerduty-incident': { with_record: false } } }));
    expect(incident.body.details).toBe('The root account was used: <investigate> & rotate');
  });
});

describe('pagerduty-incident against a loopback PagerDuty', () => {
  let pagerduty: LoopbackReceiver;
  beforeAll(async () => {
    pagerduty = await LoopbackReceiver.start();
  });
  afterAll(() => pagerduty.close());
  beforeEach(() => {
    pagerduty.requests.length = 0;
  });

  const output = (values: Record<string, string> = {}, outputContext = context) =>
    makeOutput(outputContext, 'pagerduty-incident', { token: new Secret(TOKEN), service_name: 'Security', service_id: SERVICE.id, escalation_policy: 'Security On-Call', escalation_policy_id: 'PT20YPA', email_from: FROM, api: pagerduty.url, ...values });
  const send = (alert = sampleAlert(), values?: Record<string, string>) => output(values).dispatch(alert, toAlertDocument(alert));
  const calls = () => pagerduty.requests.map(({ method, path }) => `${method} ${path}`);
  const incident = () => (pagerduty.requests.at(-1)!.json as IncidentRequest).incident;
  const withContext = (rule: object) => sampleAlert({ context: { 'pagerduty-incident': rule } });

  it('assigns the incident to the rule\'s assigned_user, matched by exact email, instead of the escalation policy', async () => {
    pagerduty.script(page('users', [user('PSENDER', FROM)]), page('users', [user('PNEAR01', 'alice.smith@example.com'), user('PALICE1', 'Alice@example.com')]), created);
    expect(await send(withContext({ assigned_user: 'alice@example.com' }))).toEqual({ kind: 'delivered', reference: 'PT4KHLK' });
    expect(calls()).toEqual([`GET /users?query=${encodeURIComponent(FROM)}`, `GET /users?query=${encodeURIComponent('alice@example.com')}`, 'POST /incidents']);
    expect(incident().assignments).toEqual([{ assignee: { id: 'PALICE1', type: 'user_reference' } }]);
    expect(incident().escalation_policy).toBeUndefined();
  });

  it('falls back to the escalation policy when PagerDuty has no such user, and the rule may name another policy', async () => {
    pagerduty.script(page('users', [user('PSENDER', FROM)]), page('users', []), created);
    expect(await send(withContext({ assigned_user: 'gone@example.com', assigned_policy_id: 'PPOLICY' }))).toMatchObject({ kind: 'delivered' });
    expect(incident()).toMatchObject({ escalation_policy: { id: 'PPOLICY', type: 'escalation_policy_reference' } });
    expect(incident().assignments).toBeUndefined();
  });

  it('looks up the service and the escalation policy by exact name when no ids are configured', async () => {
    pagerduty.script(
      page('users', [user('PSENDER', FROM)]),
      page('escalation_policies', [{ id: 'PNEAR', name: 'Security On-Call (old)' }, { id: 'PEXACT', name: 'Security On-Call' }]),
      page('services', [{ id: 'PSVC001', name: 'Security' }]),
      created,
    );
    expect(await send(sampleAlert(), { service_id: '', escalation_policy_id: '' })).toMatchObject({ kind: 'delivered' });
    expect(calls().slice(1, 3)).toEqual([`GET /escalation_policies?query=${encodeURIComponent('Security On-Call')}`, 'GET /services?query=Security']);
    expect(incident()).toMatchObject({ service: { id: 'PSVC001', type: 'service_reference' }, escalation_policy: { id: 'PEXACT' } });
  });

  it('fails as config, sending nothing more, when email_from or a named resource is not in PagerDuty', async () => {
    pagerduty.script(page('users', [user('POTHER', `other.${FROM}`)]));
    expect(await send()).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringContaining('email_from is not the email of a user') });
    expect(calls()).toHaveLength(1);

    pagerduty.requests.length = 0;
    pagerduty.script(page('users', [user('PSENDER', FROM)]), page('services', [{ id: 'PSVC002', name: 'Security Team' }]));
    expect(await send(sampleAlert(), { service_id: '' })).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringContaining("no services named 'Security'") });
    expect(calls()).toHaveLength(2);
  });

  it("sets the priority the rule names, and leaves it out when the account has no priority of that name", async () => {
    const priorities = page('priorities', [{ id: 'PSO75BM', name: 'P1' }, { id: 'P53ZZH5', name: 'P2' }]);
    pagerduty.script(page('users', [user('PSENDER', FROM)]), priorities, created);
    await send(withContext({ incident_priority: 'P2' }));
    expect(incident().priority).toEqual({ id: 'P53ZZH5', type: 'priority_reference' });

    pagerduty.script(page('users', [user('PSENDER', FROM)]), priorities, created);
    expect(await send(withContext({ incident_priority: 'SEV-1' }))).toMatchObject({ kind: 'delivered' });
    expect(incident().priority).toBeUndefined();
  });

  it('takes PagerDuty refusing a second open incident with the alert\'s incident key as delivered: the retry of a lost answer', async () => {
    const duplicate = { error: { message: 'Arguments Caused Error', code: 2002, errors: ['Open incident with matching dedup key already exists on this service'] } };
    pagerduty.script(page('users', [user('PSENDER', FROM)]), { status: 400, body: duplicate });
    expect(await send()).toEqual({ kind: 'delivered' });
  });

  it("fails any other 400 with PagerDuty's errors, naming the step, never the token", async () => {
    const invalid = { error: { message: 'Invalid Input Provided', code: 2001, errors: ['Title cannot be empty.'], echo: TOKEN } };
    pagerduty.script(page('users', [user('PSENDER', FROM)]), { status: 400, body: invalid });
    const result = await send();
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringMatching(/^creating the incident \(POST \/incidents\): .*Title cannot be empty/) });
    expectNoSecrets([TOKEN], result);
  });

  it("ends the attempt at a failing step with that step's classified result: a 429 waits for ratelimit-reset", async () => {
    pagerduty.script(page('users', [user('PSENDER', FROM)]), { status: 429, headers: { 'ratelimit-reset': '12' }, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } });
    const result = await send(withContext({ incident_priority: 'P1' }));
    expect(result).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 12_000, message: expect.stringMatching(/^looking up the incident_priority \(GET \/priorities\): /) });
    expect(calls().at(-1)).toBe('GET /priorities');
  });

  it('sends every request within the attempt\'s signal: aborted mid-way, it creates nothing', async () => {
    pagerduty.script(page('users', [user('PSENDER', FROM)]), 'hang');
    const attempt = new AbortController();
    const alert = sampleAlert({ context: { 'pagerduty-incident': { assigned_user: 'alice@example.com' } } });
    const pending = output({}, signalOnly).dispatch(alert, toAlertDocument(alert), { signal: attempt.signal });
    await waitUntil(() => pagerduty.requests.length === 2);
    attempt.abort(new Error('the attempt deadline passed'));
    expect(await pending).toMatchObject({ kind: 'retry', reason: 'timeout', message: expect.stringMatching(/^looking up the assigned_user/) });
    expect(calls().some((call) => call.startsWith('POST'))).toBe(false);
  });
});
