import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { ZulipMessage } from '../../../src/outputs/zulip/message.ts';
import { httpContract } from '../../support/contract.ts';

const EMAIL = 'streamalert-bot@example.zulipchat.com';
const API_KEY = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';

export default httpContract({
  service: 'zulip',
  docs: ['https://zulip.com/api/send-message', 'https://zulip.com/api/http-headers', 'https://zulip.com/api/rest-error-handling'],
  idempotency: "none: send-message's local_id and queue_id only match a client's own event queue and deduplicate nothing, so a retry after a lost answer may post twice (the message names the alert id)",
  values: (base) => ({ url: base, email: EMAIL, api_key: new Secret(API_KEY), stream: 'security alerts' }),
  secrets: [API_KEY],
  answer: () => ({ status: 200, body: { id: 42, msg: '', result: 'success' } }),
  authFailure: { status: 401, body: { code: 'INVALID_API_KEY', msg: 'Invalid API key', result: 'error' } },
  // Zulip gives the wait in the body as a float: https://zulip.com/api/rest-error-handling#rate-limit-exceeded
  rateLimited: { status: 429, body: { code: 'RATE_LIMIT_HIT', msg: 'API usage exceeded rate limit', result: 'error', 'retry-after': 6.21 }, retryAfterMs: 6_210 },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/messages' });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${EMAIL}:${API_KEY}`).toString('base64')}`);
    const form = Object.fromEntries(new URLSearchParams(request!.body)) as unknown as ZulipMessage;
    expect(Object.keys(form).sort()).toEqual(['content', 'to', 'topic', 'type']);
    expect(form).toMatchObject({ type: 'stream', to: 'security alerts', topic: alert.ruleName });
    expect(form.content).toContain('```\n');
    expect(form.content).toContain(`Alert \`${alert.id}\` created `);
    expect(Buffer.byteLength(form.content)).toBeLessThanOrEqual(10_000);
  },
});
