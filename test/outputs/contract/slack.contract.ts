import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { SlackMessage } from '../../../src/outputs/slack/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'q7Rk2mWx9Lp4Vb8Nc3Zt6Hy1';
const PATH = `/services/T0A1B2C3D/B4E5F6G7H/${TOKEN}`;

export default httpContract({
  service: 'slack',
  docs: ['https://api.slack.com/messaging/webhooks', 'https://api.slack.com/messaging/webhooks#handling_errors', 'https://api.slack.com/apis/rate-limits'],
  idempotency: 'none: incoming webhooks take no idempotency key, so a retry after a lost answer may post again (every part of a split record; the context line names the alert id)',
  values: (base) => ({ url: new Secret(base + PATH) }),
  secrets: [TOKEN],
  answer: () => ({ status: 200, body: 'ok' }),
  // A revoked or wrong webhook: https://api.slack.com/messaging/webhooks#handling_errors
  authFailure: { status: 403, body: 'invalid_token' },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH });
    expect(request!.headers['content-type']).toBe('application/json');
    const { text, blocks } = request!.json as SlackMessage;
    expect(text).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `Rule triggered: ${alert.ruleName}` } });
    expect(JSON.stringify(blocks.at(-1))).toContain(alert.id);
  },
});
