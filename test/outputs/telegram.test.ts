import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildTelegramMessage, TELEGRAM_LIMITS, type TelegramMessage } from '../../src/outputs/telegram/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// sendMessage: https://core.telegram.org/bots/api#sendmessage
// Errors and ResponseParameters: https://core.telegram.org/bots/api#making-requests, #responseparameters
const context = testContext();
const TOKEN = '7123456789:AAHq3vZx9LkP2mWc8RtYb5NfJd0GsE4uKoI';
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('Telegram message', () => {
  it('is plain text: markup characters in a record are sent as they are, with no parse_mode to break on them', () => {
    const message = buildTelegramMessage('-100', { ...view, record: { cmd: '<b>x</b> & *y* _z_' } });
    expect(message).toEqual({ chat_id: '-100', text: 'Rule triggered: r\n\nd\n\ncmd: <b>x</b> & *y* _z_\n\nAlert id created now', link_preview_options: { is_disabled: true } });
  });

  it('cuts a huge record to fit 4,096 characters, saying so, and keeps the alert id', () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const { text } = buildTelegramMessage('1', { ...view, ruleName: 'n'.repeat(400), ruleDescription: 'x'.repeat(5000), record });
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.textChars);
    expect(text.length).toBeGreaterThan(TELEGRAM_LIMITS.textChars - 100);
    expect(text.split('\n')[0]!.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.titleChars);
    expect(text).toMatch(/\n\(record truncated: \d+ more characters not shown\)\n\nAlert id created now$/);
  });

  // One of the two puts the cut between the halves of an emoji, whatever the room's parity.
  it.each(['', 'a'])('never cuts an emoji in half (record prefixed %j)', (prefix) => {
    const { text } = buildTelegramMessage('1', { ...view, record: { note: prefix + '🚨'.repeat(3000) } });
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.textChars);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('Telegram output against a loopback Bot API server', () => {
  let telegram: LoopbackReceiver;
  beforeAll(async () => {
    telegram = await LoopbackReceiver.start();
  });
  afterAll(() => telegram.close());
  beforeEach(() => {
    telegram.requests.length = 0;
  });

  const send = (url = telegram.url) => {
    const alert = sampleAlert();
    return makeOutput(context, 'telegram', { bot_token: new Secret(TOKEN), chat_id: '@secops', url }).dispatch(alert, toAlertDocument(alert));
  };

  it("keeps the message id as the reference, and joins a base URL's own path", async () => {
    telegram.script({ status: 200, body: { ok: true, result: { message_id: 99, chat: { id: 1 }, date: 1 } } });
    expect(await send(`${telegram.url}/telegram/`)).toEqual({ kind: 'delivered', reference: '99' });
    expect(telegram.requests[0]!.path).toBe(`/telegram/bot${TOKEN}/sendMessage`);
    expect((telegram.requests[0]!.json as TelegramMessage).chat_id).toBe('@secops');
  });

  it('fails a group turned supergroup as config, naming the new chat id', async () => {
    telegram.script({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1009876543210 } },
    });
    const result = await send();
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind !== 'delivered' && result.message).toContain('chat id -1009876543210');
  });

  it.each([
    [400, 'Bad Request: chat not found', 'client_error'],
    [403, 'Forbidden: bot was kicked from the supergroup chat', 'auth'],
  ])('fails HTTP %i (%s) as %s, quoting Telegram and never the token', async (status, description, reason) => {
    telegram.script({ status, body: { ok: false, error_code: status, description, echo: `${telegram.url}/bot${TOKEN}/sendMessage` } });
    const result = await send();
    expect(result).toMatchObject({ kind: 'failed', reason });
    expect(result.kind !== 'delivered' && result.message).toContain(description);
    expectNoSecrets([TOKEN, encodeURIComponent(TOKEN)], result);
  });

  it("prefers a 429's Retry-After header to its body's retry_after", async () => {
    telegram.script({ status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 9', parameters: { retry_after: 9 } } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 3000 });
  });
});
