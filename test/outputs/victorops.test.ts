import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildVictorOpsAlert, VICTOROPS_LIMITS, type VictorOpsAlert } from '../../src/outputs/victorops/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// REST endpoint: https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/
// Field limits: https://help.victorops.com/knowledge-base/incident-fields-glossary/
const context = testContext();
const API_KEY = '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const ENDPOINT = `/integrations/generic/20131114/alert/${API_KEY}`;

const view = { ruleName: 'r', ruleDescription: 'Root login', alertId: 'id-1', created: 'now', record: {} };

describe('VictorOps alert', () => {
  it('keeps a huge record within the 20,480-character state message, saying how much was cut', () => {
    const record = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const body = buildVictorOpsAlert({ ...view, ruleName: 'n'.repeat(1000), record }, 0);
    expect(body.state_message.length).toBeLessThanOrEqual(VICTOROPS_LIMITS.stateMessageChars);
    expect(body.state_message).toMatch(/^Root login\n\nfield_0: v+\n[\s\S]*\(record truncated: \d+ more characters not shown\)$/);
    expect(body.entity_display_name.length).toBeLessThanOrEqual(VICTOROPS_LIMITS.displayNameChars);
  });
});

describe('VictorOps output against a loopback REST endpoint', () => {
  let victorops: LoopbackReceiver;
  beforeAll(async () => {
    victorops = await LoopbackReceiver.start();
  });
  afterAll(() => victorops.close());
  beforeEach(() => {
    victorops.requests.length = 0;
  });

  const send = (url: string) => {
    const alert = sampleAlert();
    return makeOutput(context, 'victorops', { url: new Secret(url), routing_key: new Secret('secops') }).dispatch(alert, toAlertDocument(alert));
  };

  it.each([
    ['the URL as given, without the routing key', ''],
    ['a trailing slash', '/'],
    ["Splunk On-Call's $routing_key placeholder", '/$routing_key'],
  ])('posts to the URL followed by the routing key, from %s, and keeps the entity id as the reference', async (_, suffix) => {
    victorops.script({ status: 200, body: { result: 'success', entity_id: 'id-from-victorops' } });
    expect(await send(`${victorops.url}${ENDPOINT}${suffix}`)).toEqual({ kind: 'delivered', reference: 'id-from-victorops' });
    expect(victorops.requests[0]!.path).toBe(`${ENDPOINT}/secops`);
  });

  it("fails a 200 whose body says result failure, with Splunk On-Call's message and no key", async () => {
    victorops.script({ status: 200, body: { result: 'failure', message: `Missing fields: message_type (key ${API_KEY})` } });
    const result = await send(`${victorops.url}${ENDPOINT}`);
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringContaining('Missing fields: message_type') });
    expectNoSecrets([API_KEY], result);
    expect((victorops.requests[0]!.json as VictorOpsAlert).message_type).toBe('CRITICAL');
  });
});
