import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { DiscordMessage } from '../../../src/outputs/discord/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'dSZtXn7bkBQ1uKqWfZ3rA9cN0vYpLm2eHs4TgJ6iOx8';
const PATH = `/api/webhooks/123456789012345678/${TOKEN}`;

export default httpContract({
  service: 'discord',
  docs: ['https://discord.com/developers/docs/resources/webhook#execute-webhook', 'https://discord.com/developers/docs/topics/opcodes-and-status-codes#http'],
  idempotency: 'none: Discord webhooks take no idempotency key, so a retry after a lost answer may post twice (the footer names the alert id)',
  values: (base) => ({ url: new Secret(base + PATH) }),
  secrets: [TOKEN],
  answer: () => ({ status: 204 }),
  authFailure: { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH });
    expect(request!.headers['content-type']).toBe('application/json');
    const [embed] = (request!.json as DiscordMessage).embeds;
    expect(embed!.title).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(embed!.footer.text).toContain(alert.id);
  },
});
