import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { RocketChatMessage } from '../../../src/outputs/rocketchat/message.ts';
import { httpContract } from '../../support/contract.ts';

const HOOK_ID = '6mE4Zb7NqXr2KdP9s';
const TOKEN = 'x2Tq8VwLm4RcHnB7yKdJ3fGzP6sA9eUtW1oZiMxN5vQbCl0r';
const PATH = `/hooks/${HOOK_ID}/${TOKEN}`;

export default httpContract({
  service: 'rocketchat',
  docs: ['https://docs.rocket.chat/docs/integrations', 'https://developer.rocket.chat/apidocs/post-message'],
  idempotency: 'none: incoming webhooks take no idempotency key, so a retry after a lost answer may post twice (the post names the alert id)',
  values: (base) => ({ url: new Secret(base + PATH) }),
  secrets: [TOKEN],
  answer: () => ({ status: 200, body: { success: true } }),
  // authenticatedRoute throws for an unknown hook id or token, and the API answers 401.
  authFailure: { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH });
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as RocketChatMessage;
    expect(message.text).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]!.text).toContain('```\n');
    expect(message.attachments[0]!.text).toContain(`Alert \`${alert.id}\` created `);
  },
});
