import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { getService } from '../../src/outputs/registry.ts';
import type { TruncatedRecord } from '../../src/outputs/text/fit-record.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// API trigger: https://docs.rapid7.com/insightconnect/set-up-an-api-trigger/
const context = testContext();

describe('Komand output against a loopback API trigger', () => {
  let trigger: LoopbackReceiver;
  beforeAll(async () => {
    trigger = await LoopbackReceiver.start();
  });
  afterAll(() => trigger.close());

  it('cuts a huge record to keep the event within its declared limit, keeping the rest of the alert document', async () => {
    const record = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`field_${i}`, 'v'.repeat(500)]));
    const alert = sampleAlert({ record });
    const output = makeOutput(context, 'komand', { url: new Secret(`${trigger.url}/v2/triggers/abc/events`), komand_auth_token: new Secret('k') });
    expect(await output.dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered' });
    const [request] = trigger.requests;
    expect(Buffer.byteLength(request!.body)).toBeLessThanOrEqual(getService('komand').limits.message!.max);
    const { data } = request!.json as { data: { id: string; rule_name: string; record: TruncatedRecord } };
    expect(data).toMatchObject({ id: alert.id, rule_name: alert.ruleName, record: { streamalert_truncated: true, original_bytes: Buffer.byteLength(JSON.stringify(record)) } });
    expect(data.record.json_prefix).toMatch(/^\{"field_0":"v+/);
  });
});
