import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { TelegramMessage } from '../../../src/outputs/telegram/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = '7123456789:AAHq3vZx9LkP2mWc8RtYb5NfJd0GsE4uKoI';
const CHAT_ID = '-1001234567890';

export default httpContract({
  service: 'telegram',
  docs: ['https://core.telegram.org/bots/api#sendmessage', 'https://core.telegram.org/bots/api#making-requests', 'https://core.telegram.org/bots/api#responseparameters'],
  idempotency: 'none: sendMessage takes no idempotency key, so a retry after a lost answer may post twice (the message names the alert id)',
  values: (base) => ({ bot_token: new Secret(TOKEN), chat_id: CHAT_ID, url: base }),
  secrets: [TOKEN],
  answer: () => ({ status: 200, body: { ok: true, result: { message_id: 4711, chat: { id: Number(CHAT_ID), type: 'supergroup' }, date: 1_764_640_000, text: '...' } } }),
  authFailure: { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } },
  // Telegram gives the wait in the body only: https://core.telegram.org/bots/api#responseparameters
  rateLimited: { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }, retryAfterMs: 7_000 },
  serverError: { status: 502, body: 'Bad Gateway' },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: `/bot${TOKEN}/sendMessage` });
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as TelegramMessage;
    expect(message.chat_id).toBe(CHAT_ID);
    expect(message).not.toHaveProperty('parse_mode');
    expect(message.text.startsWith(`Rule triggered: ${alert.ruleName}\n\n`)).toBe(true);
    expect(message.text).toContain(`Alert ${alert.id} created `);
    expect(message.text.length).toBeLessThanOrEqual(4096);
  },
});
