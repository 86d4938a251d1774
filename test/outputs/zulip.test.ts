import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildZulipMessage, ZULIP_LIMITS } from '../../src/outputs/zulip/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Send a message: https://zulip.com/api/send-message (topic at most 60 characters, content at
// most 10,000 bytes); errors: https://zulip.com/api/rest-error-handling
const context = testContext();
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('Zulip message', () => {
  it("cuts the topic to 60 characters and the content to 10,000 bytes of multi-byte text, saying so", () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'ü€'.repeat(20)]));
    const message = buildZulipMessage('alerts', { ...view, ruleName: `rule_${'n'.repeat(100)}`, record });
    expect(message.topic.length).toBeLessThanOrEqual(ZULIP_LIMITS.topicChars);
    expect(message.topic.startsWith('rule_nnn')).toBe(true);
    expect(Buffer.byteLength(message.content)).toBeLessThanOrEqual(ZULIP_LIMITS.contentBytes);
    expect(Buffer.byteLength(message.content)).toBeGreaterThan(ZULIP_LIMITS.contentBytes - 200);
    expect(message.content).toMatch(/```\n\(record truncated: \d+ more characters not shown\)\n\nAlert `id` created now$/);
  });
});

describe('Zulip output against a loopback server', () => {
  let zulip: LoopbackReceiver;
  beforeAll(async () => {
    zulip = await LoopbackReceiver.start();
  });
  afterAll(() => zulip.close());

  const send = (url: string) => {
    const alert = sampleAlert();
    return makeOutput(context, 'zulip', { url, email: 'bot@example.com', api_key: new Secret('gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv'), stream: 'ops: alerts' }).dispatch(alert, toAlertDocument(alert));
  };

  it("posts under an organization URL's own path, sends a stream name with a space and a colon whole, and keeps the message id", async () => {
    zulip.script({ status: 200, body: { id: 4711, msg: '', result: 'success' } });
    expect(await send(`${zulip.url}/zulip`)).toEqual({ kind: 'delivered', reference: '4711' });
    const [request] = zulip.requests.slice(-1);
    expect(request!.path).toBe('/zulip/api/v1/messages');
    expect(new URLSearchParams(request!.body).get('to')).toBe('ops: alerts');
  });

  it("fails a stream that does not exist as client_error, quoting Zulip's message", async () => {
    zulip.script({ status: 400, body: { code: 'STREAM_NOT_FOUND', msg: "Channel 'ops: alerts' does not exist", result: 'error', stream: 'ops: alerts' } });
    expect(await send(zulip.url)).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringContaining("Channel 'ops: alerts' does not exist") });
  });

  it("prefers a 429's Retry-After header to the body's retry-after", async () => {
    zulip.script({ status: 429, headers: { 'retry-after': '2' }, body: { code: 'RATE_LIMIT_HIT', msg: 'API usage exceeded rate limit', result: 'error', 'retry-after': 9.5 } });
    expect(await send(zulip.url)).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 2000 });
  });
});
