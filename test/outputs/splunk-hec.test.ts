import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { HEC_MAX_BODY_BYTES, type HecEvent } from '../../src/outputs/splunk-hec/event.ts';
import type { TruncatedRecord } from '../../src/outputs/text/fit-record.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { SelfSignedServer } from '../support/tls-server.ts';

// HEC: https://docs.splunk.com/Documentation/Splunk/latest/Data/HECRESTendpoints
// Its answer codes: https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector
const context = testContext();
const TOKEN = 'b5e1c2d3-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

describe('Splunk HEC output against a loopback collector', () => {
  let hec: LoopbackReceiver;
  beforeAll(async () => {
    hec = await LoopbackReceiver.start();
  });
  afterAll(() => hec.close());
  beforeEach(() => {
    hec.requests.length = 0;
  });
  const output = (values: Record<string, string | Secret> = {}) => makeOutput(context, 'splunk-hec', { url: hec.url, token: new Secret(TOKEN), ...values }, 'main');
  const send = async (values: Record<string, string | Secret> = {}, fields = {}) => {
    const alert = sampleAlert(fields);
    return output(values).dispatch(alert, toAlertDocument(alert));
  };

  it('sends the configured index, host and sourcetype, to a URL that already names the collector as it is', async () => {
    hec.script({ status: 200, body: { text: 'Success', code: 0 } });
    expect(await send({ url: `${hec.url}/services/collector/event/1.0`, index: 'security', host: 'streamalert-prod', sourcetype: 'sa:alert' })).toEqual({ kind: 'delivered' });
    expect(hec.requests[0]!.path).toBe('/services/collector/event/1.0');
    expect(hec.requests[0]!.json).toMatchObject({ index: 'security', host: 'streamalert-prod', sourcetype: 'sa:alert', source: 'streamalert' });
  });

  it('fails an index the token may not write to (400, code 7) as config, naming it', async () => {
    hec.script({ status: 400, body: { text: 'Incorrect index', code: 7, 'invalid-event-number': 0 } });
    const result = await send({ index: 'nope' });
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toMatch(/HEC code 7: incorrect index/);
  });

  it('retries a busy server (503, code 9), saying so, with no token in the message', async () => {
    hec.script({ status: 503, body: { text: `Server is busy ${TOKEN}`, code: 9 } });
    const result = await output().attempt(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'retry', reason: 'server_error' });
    expect(result.kind === 'retry' && result.message).toMatch(/HEC code 9: server is busy/);
    expectNoSecrets([TOKEN], result);
  });

  it('fails a request over max_content_length (413) as too_large', async () => {
    hec.script({ status: 413, body: { text: 'Content length too large' } });
    expect(await send()).toMatchObject({ kind: 'failed', reason: 'too_large' });
  });

  it('cuts a huge record to keep the request within max_content_length, keeping the rest of the event', async () => {
    hec.script({ status: 200, body: { text: 'Success', code: 0 } });
    const record = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`field_${i}`, 'é"'.repeat(200)]));
    expect(await send({}, { record })).toEqual({ kind: 'delivered' });
    const body = hec.requests[0]!.body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(HEC_MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(HEC_MAX_BODY_BYTES - 1_000);
    const { event } = hec.requests[0]!.json as HecEvent;
    expect((event.record as unknown as TruncatedRecord).streamalert_truncated).toBe(true);
    expect(event.rule_name).toBe('cloudtrail_root_account_usage');
  });
});

describe('Splunk HEC output against a self-signed HTTPS collector', () => {
  let server: SelfSignedServer;
  beforeAll(async () => {
    server = await SelfSignedServer.start({ status: 200, body: { text: 'Success', code: 0 } });
  });
  afterAll(() => server.close());
  const send = (verifyTls?: string) => {
    const alert = sampleAlert();
    return makeOutput(context, 'splunk-hec', { url: server.url, token: new Secret(TOKEN), ...(verifyTls ? { verify_tls: verifyTls } : {}) }).dispatch(alert, toAlertDocument(alert));
  };

  it('fails as config while verification is on (the default), before any request is served', async () => {
    const result = await send();
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toMatch(/TLS certificate that could not be verified/);
    expect(server.received).toBe(0);
  });

  it('delivers when verify_tls is false', async () => {
    expect(await send('false')).toEqual({ kind: 'delivered' });
    expect(server.received).toBe(1);
  });
});
