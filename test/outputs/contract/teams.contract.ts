import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { TeamsMessage } from '../../../src/outputs/teams/card.ts';
import { httpContract } from '../../support/contract.ts';

// A Workflows URL: the flow's trigger with its shared access signature (sp, sv, sig) in the query.
const SIG = 'Xq3vN8kLm2Rt7Wz9Pb4Yd6Hf1Jc5Gs0Ae-UoIiEwQ';
const PATH = `/workflows/3f1c9a7e2b8d4e6fa0c5d7e9b1a3c5e7/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

export default httpContract({
  service: 'teams',
  docs: [
    'https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook',
    'https://adaptivecards.io/explorer/AdaptiveCard.html',
    'https://learn.microsoft.com/en-us/azure/logic-apps/logic-apps-securing-a-logic-app#generate-shared-access-signatures-sas',
  ],
  idempotency: 'none: a Workflows trigger takes no idempotency key, so a retry after a lost answer may post the card twice (its facts name the alert id)',
  values: (base) => ({ url: new Secret(base + PATH) }),
  secrets: [SIG],
  answer: () => ({ status: 202 }),
  authFailure: { status: 401, body: { error: { code: 'DirectApiInvalidAuthorizationSignature', message: 'The provided authorization signature is not valid.' } } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH });
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as TeamsMessage;
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } });
    const [title, , facts] = attachment!.content.body;
    expect(title).toMatchObject({ type: 'TextBlock', text: `StreamAlert Rule Triggered: ${alert.ruleName}` });
    expect(facts).toMatchObject({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'alert_id', value: alert.id }]) });
  },
});
