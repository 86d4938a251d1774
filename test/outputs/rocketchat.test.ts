import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildRocketChatMessage, ROCKETCHAT_LIMITS } from '../../src/outputs/rocketchat/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Incoming webhooks: https://docs.rocket.chat/docs/integrations; the message's shape is
// chat.postMessage's: https://developer.rocket.chat/apidocs/post-message
const context = testContext();
const PATH = '/hooks/6mE4Zb7NqXr2KdP9s/x2Tq8VwLm4RcHnB7yKdJ3fGzP6sA9eUtW1oZiMxN5vQbCl0r';
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('Rocket.Chat message', () => {
  it('keeps the text and the attachment within 5,000 characters together, cutting the record and saying so', () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const message = buildRocketChatMessage({ ...view, ruleName: 'n'.repeat(400), ruleDescription: 'x'.repeat(3000), record });
    expect(message.text.length).toBeLessThanOrEqual(ROCKETCHAT_LIMITS.textChars);
    expect(message.text.length + message.attachments[0]!.text.length).toBeLessThanOrEqual(ROCKETCHAT_LIMITS.messageChars);
    expect(message.attachments[0]!.text).toMatch(/```\n\(record truncated: \d+ more characters not shown\)\n\nAlert `id` created now$/);
  });

  it('keeps what a record says, mentions included, in the attachment, never in the text that notifies', () => {
    const message = buildRocketChatMessage({ ...view, record: { comment: '@all ```rm```' } });
    expect(message).toEqual({ text: 'Rule triggered: r', attachments: [{ text: 'd\n\n```\ncomment: @all ``\u200b`rm``\u200b`\n```\n\nAlert `id` created now', color: '#ed4245' }] });
  });
});

describe('Rocket.Chat output against a loopback server', () => {
  let rocketchat: LoopbackReceiver;
  beforeAll(async () => {
    rocketchat = await LoopbackReceiver.start();
  });
  afterAll(() => rocketchat.close());

  it.each([
    [400, { success: false, error: 'invalid-channel' }, 'failed', 'client_error'],
    [503, { success: false, error: 'Service Unavailable' }, 'retry', 'server_error'],
  ])("answers HTTP %i %j as %s (%s), quoting Rocket.Chat's error and never the hook's token", async (status, body, kind, reason) => {
    rocketchat.script({ status, body: { ...body, url: rocketchat.url + PATH } });
    const alert = sampleAlert();
    const result = await makeOutput(context, 'rocketchat', { url: new Secret(rocketchat.url + PATH) }).dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(body.error);
    expectNoSecrets([PATH, PATH.split('/')[3]!], result);
  });
});
