import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { OpsgenieAlert } from '../../../src/outputs/opsgenie/message.ts';
import { httpContract } from '../../support/contract.ts';

const API_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

export default httpContract({
  service: 'opsgenie',
  docs: ['https://docs.opsgenie.com/docs/alert-api#create-alert', 'https://docs.opsgenie.com/docs/response', 'https://docs.opsgenie.com/docs/api-rate-limiting'],
  idempotency: 'deduplicated by Opsgenie: the alias is the alert id on every attempt, and an open alert with the same alias is not created again (its count goes up)',
  values: (base) => ({ api_key: new Secret(API_KEY), api_url: base }),
  secrets: [API_KEY],
  answer: () => ({ status: 202, body: { result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' } }),
  authFailure: { status: 401, body: { message: 'Key format is not valid!', took: 0.001, requestId: '2ad8b5b4-2b2d-4b3c-a4b7-6d2f36a6ed8c' } },
  // Opsgenie documents the 429 but no Retry-After header.
  rateLimited: { status: 429, body: { message: 'You are making too many requests! To avoid errors, we recommend you limit requests.', took: 0.0 } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/alerts' });
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', authorization: `GenieKey ${API_KEY}` });
    const body = request!.json as OpsgenieAlert;
    expect(body).toMatchObject({ alias: alert.id, message: `Rule triggered: ${alert.ruleName}`, source: 'StreamAlert' });
    expect(body.message.length).toBeLessThanOrEqual(130);
    expect(body.description.length).toBeLessThanOrEqual(15_000);
    expect(['P1', 'P2', 'P3', 'P4', 'P5']).toContain(body.priority);
    for (const value of Object.values(body.details)) expect(typeof value).toBe('string');
  },
});
