import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { SlackMessage } from '../../../src/outputs/slack/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'xoxb-2024042017-7788990011-Zq4RtY8uKp2LmN6vXc3sWb1e';
const CHANNEL = 'C0123ABCD';

export default httpContract({
  service: 'slack-bot',
  docs: ['https://api.slack.com/methods/chat.postMessage', 'https://api.slack.com/web#evaluating_responses', 'https://api.slack.com/apis/rate-limits'],
  idempotency: 'none: chat.postMessage takes no idempotency key, so a retry after a lost answer may post twice (the message names the alert id)',
  values: (base) => ({ channel: CHANNEL, token: new Secret(TOKEN), url: `${base}/api` }),
  secrets: [TOKEN],
  answer: () => ({ status: 200, body: { ok: true, channel: CHANNEL, ts: '1712345678.000100', message: { type: 'message' } } }),
  // Slack answers a bad token with HTTP 200 and ok: false (https://api.slack.com/methods/chat.postMessage#errors).
  authFailure: { status: 200, body: { ok: false, error: 'invalid_auth' } },
  rateLimited: { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' }, retryAfterMs: 7_000 },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/chat.postMessage' });
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = request!.json as SlackMessage & { channel: string; thread_ts?: string };
    expect(body.channel).toBe(CHANNEL);
    expect(body.thread_ts).toBeUndefined();
    expect(body.text).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `Rule triggered: ${alert.ruleName}` } });
    expect(JSON.stringify(body.blocks)).toContain(alert.id);
  },
});
