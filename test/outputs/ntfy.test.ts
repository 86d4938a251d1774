import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildNtfyMessage, NTFY_LIMITS, type NtfyMessage } from '../../src/outputs/ntfy/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Publish as JSON: https://docs.ntfy.sh/publish/#publish-as-json
// Limits (4,096-byte messages): https://docs.ntfy.sh/publish/#limitations
const context = testContext();
const TOPIC = 'secops-alerts-q7w2x9k4m1';
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('ntfy message', () => {
  it.each([
    ['critical', 5, 'rotating_light'],
    ['error', 4, 'red_circle'],
    ['warning', 3, 'warning'],
    ['info', 2, 'information_source'],
  ] as const)('maps severity %s to priority %i with the %s tag', (severity, priority, tag) => {
    expect(buildNtfyMessage(TOPIC, { ...view, record: {} }, severity)).toMatchObject({ priority, tags: [tag, 'streamalert'] });
  });

  it('keeps a huge record of multi-byte text within 4,096 bytes, saying it was cut, and keeps the alert id', () => {
    const record = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field_${i}`, 'é€'.repeat(30)]));
    const { message, title } = buildNtfyMessage(TOPIC, { ...view, ruleName: 'n'.repeat(400), ruleDescription: 'ü'.repeat(3000), record }, 'critical');
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(NTFY_LIMITS.messageBytes);
    expect(Buffer.byteLength(message)).toBeGreaterThan(NTFY_LIMITS.messageBytes - 200);
    expect(title.length).toBeLessThanOrEqual(NTFY_LIMITS.titleChars);
    expect(message).toMatch(/\n\(record truncated: \d+ more characters not shown\)\n\nAlert id created now$/);
    expect(message).not.toContain('\ufffd');
  });
});

describe('ntfy output against a loopback server', () => {
  let ntfy: LoopbackReceiver;
  beforeAll(async () => {
    ntfy = await LoopbackReceiver.start();
  });
  afterAll(() => ntfy.close());
  beforeEach(() => {
    ntfy.requests.length = 0;
  });

  const send = (values: Record<string, string | Secret>) => {
    const alert = sampleAlert();
    return makeOutput(context, 'ntfy', { topic: new Secret(TOPIC), ...values }).dispatch(alert, toAlertDocument(alert));
  };

  it("sends no Authorization header without a token, publishes to a base URL's own path, and keeps the message id", async () => {
    ntfy.script({ status: 200, body: { id: 'hwQ2YpKdmg', event: 'message', topic: TOPIC } });
    expect(await send({ url: `${ntfy.url}/ntfy` })).toEqual({ kind: 'delivered', reference: 'hwQ2YpKdmg' });
    const [request] = ntfy.requests;
    expect(request!.path).toBe('/ntfy/');
    expect(request!.headers).not.toHaveProperty('authorization');
    expect((request!.json as NtfyMessage).topic).toBe(TOPIC);
  });

  it('fails a 413 as too_large and a 401 as auth, never naming the topic', async () => {
    ntfy.script(
      { status: 413, body: { code: 41301, http: 413, error: 'too large', topic: TOPIC } },
      { status: 401, body: { code: 40101, http: 401, error: 'unauthorized', topic: TOPIC } },
    );
    const tooLarge = await send({ url: ntfy.url });
    const unauthorized = await send({ url: ntfy.url });
    expect(tooLarge).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(unauthorized).toMatchObject({ kind: 'failed', reason: 'auth' });
    expect(JSON.stringify([tooLarge, unauthorized])).not.toContain(TOPIC);
  });
});
