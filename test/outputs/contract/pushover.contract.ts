import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { PushoverMessage } from '../../../src/outputs/pushover/message.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

export default httpContract({
  service: 'pushover',
  docs: ['https://pushover.net/api#messages', 'https://pushover.net/api#response', 'https://pushover.net/api#limits'],
  idempotency: 'none: the Messages API takes no idempotency key, so a retry after a lost answer may notify twice (the message names the alert id)',
  values: (base) => ({ token: new Secret(TOKEN), user: new Secret(USER), url: `${base}/1/messages.json` }),
  secrets: [TOKEN, USER],
  answer: () => ({ status: 200, headers: { 'x-limit-app-limit': '10000', 'x-limit-app-remaining': '7496', 'x-limit-app-reset': '1767225600' }, body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' } }),
  // An invalid token is a 400 naming the parameter: https://pushover.net/api#response
  authFailure: { status: 400, body: { token: 'invalid', errors: ['application token is invalid'], status: 0, request: '5042853c-402d-4a18-abcb-168734a801de' } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/1/messages.json' });
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as PushoverMessage;
    expect(message).toMatchObject({ token: TOKEN, user: USER, title: `Rule triggered: ${alert.ruleName}`, timestamp: Math.floor(alert.created.getTime() / 1000) });
    expect(message.priority).toBe({ critical: 1, error: 0, warning: 0, info: -1 }[alert.severity]);
    expect(message.message).toContain(`Alert ${alert.id} created `);
    expect(message.message.length).toBeLessThanOrEqual(1024);
  },
});
