import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { MattermostMessage } from '../../../src/outputs/mattermost/message.ts';
import { httpContract } from '../../support/contract.ts';

const HOOK = 'xq8m1g3f7jbz5kdr9wyp4tnc6a';

export default httpContract({
  service: 'mattermost',
  docs: ['https://developers.mattermost.com/integrate/webhooks/incoming/'],
  idempotency: 'none: incoming webhooks take no idempotency key, so a retry after a lost answer may post twice (the post names the alert id)',
  values: (base) => ({ url: new Secret(`${base}/hooks/${HOOK}`) }),
  secrets: [HOOK],
  answer: () => ({ status: 200, body: 'ok' }),
  authFailure: { status: 403, body: { id: 'web.incoming_webhook.disabled.app_error', message: 'Incoming webhooks have been disabled by the system admin.', status_code: 403 } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', path: `/hooks/${HOOK}` });
    const { text } = requests[0]!.json as MattermostMessage;
    expect(text).toMatch(new RegExp(`^#### Rule triggered: ${alert.ruleName}\n`));
    expect(text).toContain(`Alert \`${alert.id}\``);
  },
});
