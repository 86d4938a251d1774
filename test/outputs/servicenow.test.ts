import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument, type Severity } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { incidentFields, SERVICENOW_LIMITS } from '../../src/outputs/servicenow/incident.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// What the contract does not cover: the lookup that makes a retry safe, answers that are not the
// Table API's JSON, the fields cut to the incident table's lengths, severity to urgency and impact.
// https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html
const context = testContext();
let instance: LoopbackReceiver;
beforeAll(async () => {
  instance = await LoopbackReceiver.start();
});
afterAll(() => instance.close());
beforeEach(() => {
  instance.requests.length = 0;
});

const send = (alert = sampleAlert()) => makeOutput(context, 'servicenow', { url: instance.url, username: 'bot', password: new Secret('pw') }).dispatch(alert, toAlertDocument(alert));
const created = { status: 201, body: { result: { sys_id: 'abc123', number: 'INC0010002' } } };

describe('ServiceNow flow', () => {
  it('creates the incident when the lookup finds none, and keeps number/sys_id as the reference', async () => {
    instance.script({ status: 200, body: { result: [] } }, created);
    expect(await send()).toEqual({ kind: 'delivered', reference: 'INC0010002/abc123' });
  });

  it('creates nothing when an earlier attempt already made the incident (its answer lost): the retry is delivered', async () => {
    instance.script({ status: 200, body: { result: [{ sys_id: 'abc123', number: 'INC0010002' }] } });
    expect(await send()).toEqual({ kind: 'delivered', reference: 'INC0010002/abc123' });
    expect(instance.requests).toHaveLength(1);
  });

  it('retries, creating nothing, when a hibernating instance answers the lookup with its HTML page', async () => {
    instance.script({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>Instance Hibernating page</title></html>' });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'server_error', message: expect.stringContaining('hibernating') });
    expect(instance.requests).toHaveLength(1);
  });

  it("retries a create answered with something else than the record: the next attempt's lookup finds it if it was made", async () => {
    instance.script({ status: 200, body: { result: [] } }, { status: 201, body: '' });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'server_error' });
  });

  it('fails an ACL refusal of the create as auth, with ServiceNow\'s words', async () => {
    instance.script({ status: 200, body: { result: [] } }, { status: 403, body: { error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' } });
    const result = await send();
    expect(result).toMatchObject({ kind: 'failed', reason: 'auth' });
    expect(result.kind !== 'delivered' && result.message).toContain('ACL Exception Insert Failed');
  });
});

describe('ServiceNow incident fields', () => {
  it('cuts the short description to 160 characters and the description, record first, to 4,000', () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const alert = sampleAlert({ ruleName: 'r'.repeat(300), record });
    const fields = incidentFields(alertText(alert, toAlertDocument(alert)), alert.severity);
    expect(fields.short_description).toHaveLength(SERVICENOW_LIMITS.shortDescriptionChars);
    expect(fields.description.length).toBeLessThanOrEqual(SERVICENOW_LIMITS.descriptionChars);
    expect(fields.description.length).toBeGreaterThan(SERVICENOW_LIMITS.descriptionChars - 200);
    expect(fields.description).toMatch(/\(record truncated: \d+ more characters not shown\)\n\nStreamAlert alert \S+ created /);
  });

  it.each([
    ['critical', '1', '1'],
    ['error', '2', '2'],
    ['warning', '2', '3'],
    ['info', '3', '3'],
  ] as const)('maps severity %s to urgency %s and impact %s', (severity: Severity, urgency, impact) => {
    const alert = sampleAlert({ severity });
    expect(incidentFields(alertText(alert, toAlertDocument(alert)), severity)).toMatchObject({ urgency, impact });
  });
});
