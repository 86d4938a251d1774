import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildIncident, DEMISTO_LIMITS, flattenLabels, type DemistoIncident } from '../../src/outputs/demisto/incident.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Wire format: https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API
const context = testContext();
const API_KEY = 'C0FFEE5A1B2C3D4E5F60718293A4B5C6';

describe('Demisto incident', () => {
  it('flattens nested data into labels named by path, StreamAlert-style, sorted, every value as text', () => {
    expect(flattenLabels({ record: { b: { c: 1 }, a: [true, null] }, id: 'x' })).toEqual([
      { type: 'id', value: 'x' },
      { type: 'record.a[0]', value: 'true' },
      { type: 'record.a[1]', value: 'null' },
      { type: 'record.b.c', value: '1' },
    ]);
  });

  it("maps the alert's severity to XSOAR's, unless a publisher names one in StreamAlert's words", () => {
    const alert = sampleAlert({ severity: 'warning' });
    expect(buildIncident(alert, toAlertDocument(alert)).severity).toBe(2);
    expect(buildIncident(alert, { ...toAlertDocument(alert), '@demisto.severity': 'HIGH' }).severity).toBe(3);
    expect(buildIncident(alert, { ...toAlertDocument(alert), '@demisto.severity': 'informational' }).severity).toBe(0.5);
    expect(buildIncident(alert, { ...toAlertDocument(alert), '@demisto.severity': 'severe' }).severity).toBe(0);
  });

  it("takes StreamAlert's publisher overrides: name, type, owner, details, playbook and label data", () => {
    const alert = sampleAlert();
    const incident = buildIncident(alert, {
      ...toAlertDocument(alert),
      '@demisto.incident_name': 'Root login',
      '@demisto.incident_type': 'Access',
      '@demisto.owner': 'alice',
      '@demisto.details': 'Call the account owner',
      '@demisto.playbook': 'Root account triage',
      '@demisto.label_data': { user: { arn: 'arn:aws:iam::123456789012:root' } },
    });
    expect(incident).toMatchObject({ name: 'Root login', type: 'Access', owner: 'alice', details: 'Call the account owner', playbookId: 'Root account triage' });
    expect(incident.labels).toEqual([{ type: 'user.arn', value: 'arn:aws:iam::123456789012:root' }]);
  });

  it('keeps a huge alert within the declared body limit, and a last label says how many labels were left out', () => {
    const record = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`field_${i}`, 'v'.repeat(5_000)]));
    const alert = sampleAlert({ record });
    const incident = buildIncident(alert, toAlertDocument(alert));
    expect(JSON.stringify(incident).length).toBeLessThanOrEqual(DEMISTO_LIMITS.bodyChars);
    const last = incident.labels.at(-1)!;
    expect(last.type).toBe('streamalert.labels_omitted');
    expect(incident.labels.length - 1 + Number(last.value)).toBe(flattenLabels(toAlertDocument(alert)).length);
    expect(incident.labels[0]!.value.length).toBeLessThanOrEqual(DEMISTO_LIMITS.labelValueChars);
  });
});

describe('Demisto output against a loopback XSOAR', () => {
  let xsoar: LoopbackReceiver;
  beforeAll(async () => {
    xsoar = await LoopbackReceiver.start();
  });
  afterAll(() => xsoar.close());
  beforeEach(() => {
    xsoar.requests.length = 0;
  });
  const output = (values: Record<string, string | Secret> = {}) => makeOutput(context, 'demisto', { url: new Secret(`${xsoar.url}/`), token: new Secret(API_KEY), ...values }, 'soc');

  it("keeps the created incident's id as the reference", async () => {
    xsoar.script({ status: 201, body: { id: '1042', name: 'x' } });
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '1042' });
    expect(xsoar.requests[0]!.path).toBe('/incident');
    expect(xsoar.requests[0]!.headers['x-xdr-auth-id']).toBeUndefined();
  });

  it('sends an XSOAR 8 key id in x-xdr-auth-id when one is configured', async () => {
    xsoar.script({ status: 200, body: { id: 7 } });
    const alert = sampleAlert();
    expect(await output({ api_key_id: new Secret('12') }).dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '7' });
    expect(xsoar.requests[0]!.headers).toMatchObject({ authorization: API_KEY, 'x-xdr-auth-id': '12' });
    expect((xsoar.requests[0]!.json as DemistoIncident).createInvestigation).toBe(true);
  });

  it('delivers without a reference when the answer is not the documented JSON', async () => {
    xsoar.script({ status: 200, body: '<html>ok</html>' });
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered' });
  });
});
