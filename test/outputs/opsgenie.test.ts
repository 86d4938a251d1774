import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument, type Severity } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildOpsgenieAlert, OPSGENIE_LIMITS, type OpsgenieAlert } from '../../src/outputs/opsgenie/message.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Create Alert and its field limits: https://docs.opsgenie.com/docs/alert-api#create-alert
// Response codes: https://docs.opsgenie.com/docs/response
const context = testContext();
const API_KEY = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

const build = (fields: Parameters<typeof sampleAlert>[0] = {}) => {
  const alert = sampleAlert(fields);
  return buildOpsgenieAlert(alert, alertText(alert, toAlertDocument(alert)));
};

describe('Opsgenie alert', () => {
  it.each([
    ['critical', 'P1'],
    ['error', 'P2'],
    ['warning', 'P3'],
    ['info', 'P5'],
  ] as const)('maps the %s severity to %s', (severity: Severity, priority) => {
    expect(build({ severity }).priority).toBe(priority);
  });

  it('cuts the message to 130 characters and the description to 15,000, and drops empty details', () => {
    const record = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const body = build({ ruleName: 'r'.repeat(500), record, cluster: '' });
    expect(body.message.length).toBe(OPSGENIE_LIMITS.messageChars);
    expect(body.description.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.descriptionChars);
    expect(body.description).toMatch(/\(record truncated: \d+ more characters not shown\)$/);
    expect(Object.keys(body.details)).toEqual(['rule_name', 'log_source', 'source_service', 'created']);
    expect(Object.entries(body.details).flat().join('').length).toBeLessThanOrEqual(OPSGENIE_LIMITS.detailsChars);
    expect(body.entity).toBe('acme-cloudtrail');
  });
});

describe('Opsgenie output against a loopback Alert API', () => {
  let opsgenie: LoopbackReceiver;
  beforeAll(async () => {
    opsgenie = await LoopbackReceiver.start();
  });
  afterAll(() => opsgenie.close());
  beforeEach(() => {
    opsgenie.requests.length = 0;
  });

  const send = (apiUrl: string) => {
    const alert = sampleAlert();
    return makeOutput(context, 'opsgenie', { api_key: new Secret(API_KEY), api_url: apiUrl }).dispatch(alert, toAlertDocument(alert));
  };

  it('keeps the requestId of the 202 as the reference, whatever the API host ends in', async () => {
    opsgenie.script({ status: 202, body: { result: 'Request will be processed', took: 0.1, requestId: 'req-1' } });
    expect(await send(`${opsgenie.url}/`)).toEqual({ kind: 'delivered', reference: 'req-1' });
    expect(opsgenie.requests[0]!.path).toBe('/v2/alerts');
    expect((opsgenie.requests[0]!.json as OpsgenieAlert).tags).toEqual(['StreamAlert']);
  });

  it("fails a 422 with Opsgenie's account of what is wrong, never the key", async () => {
    opsgenie.script({ status: 422, body: { message: 'Request body is not processable. Please check the errors.', errors: { message: 'Message can not be empty.' }, took: 0.0, key: API_KEY } });
    const result = await send(opsgenie.url);
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringContaining('Message can not be empty.') });
    expectNoSecrets([API_KEY], result);
  });

  it('fails a 402 (the plan cannot create alerts) without retrying', async () => {
    opsgenie.script({ status: 402, body: { message: 'Subscription plan does not allow this action', took: 0.0 } });
    expect(await send(opsgenie.url)).toMatchObject({ kind: 'failed', reason: 'client_error' });
  });
});
