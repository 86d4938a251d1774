import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { NtfyMessage } from '../../../src/outputs/ntfy/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOPIC = 'secops-alerts-q7w2x9k4m1';
const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';

export default httpContract({
  service: 'ntfy',
  docs: ['https://docs.ntfy.sh/publish/#publish-as-json', 'https://docs.ntfy.sh/publish/#access-tokens', 'https://docs.ntfy.sh/publish/#message-priority'],
  idempotency: 'none: ntfy takes no idempotency key, so a retry after a lost answer may notify twice (the message names the alert id)',
  values: (base) => ({ topic: new Secret(TOPIC), token: new Secret(TOKEN), url: base }),
  secrets: [TOPIC, TOKEN],
  answer: (request) => ({ status: 200, body: { id: 'sPs71M8A2T', time: 1_764_640_000, expires: 1_764_683_200, event: 'message', topic: (request.json as NtfyMessage).topic, message: '...' } }),
  authFailure: { status: 403, body: { code: 40301, http: 403, error: 'forbidden', link: 'https://ntfy.sh/docs/publish/#authentication' } },
  rateLimited: { status: 429, headers: { 'retry-after': '7' }, body: { code: 42901, http: 429, error: 'limit reached: too many requests', link: 'https://ntfy.sh/docs/publish/#limitations' }, retryAfterMs: 7_000 },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const message = request!.json as NtfyMessage;
    expect(Object.keys(message).sort()).toEqual(['message', 'priority', 'tags', 'title', 'topic']);
    expect(message.topic).toBe(TOPIC);
    expect(message.title).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(message.message).toContain(`Alert ${alert.id} created `);
    expect(message.priority).toBe({ critical: 5, error: 4, warning: 3, info: 2 }[alert.severity]);
    expect(Buffer.byteLength(message.message)).toBeLessThanOrEqual(4096);
  },
});
