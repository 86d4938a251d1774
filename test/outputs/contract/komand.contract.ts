import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import { httpContract } from '../../support/contract.ts';

const API_KEY = '3b1f6a2c-9d4e-4f70-8a1b-2c3d4e5f6a7b';
const TRIGGER = '6e0c5b4a-1f2e-4d3c-9b8a-7f6e5d4c3b2a';

export default httpContract({
  service: 'komand',
  docs: ['https://docs.rapid7.com/insightconnect/set-up-an-api-trigger/', 'https://docs.rapid7.com/insight/api-overview/'],
  idempotency: 'none: an API trigger takes no idempotency key, so a retry after a lost answer may start the workflow twice (the event carries the alert id)',
  values: (base) => ({ url: new Secret(`${base}/connect/v1/workflows/${TRIGGER}/events/execute`), komand_auth_token: new Secret(API_KEY) }),
  secrets: [API_KEY, TRIGGER],
  answer: () => ({ status: 200, body: { job_id: 'a1b2c3' } }),
  authFailure: { status: 401, body: { message: 'Unauthorized' } },
  check(requests, alert, publication) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: `/connect/v1/workflows/${TRIGGER}/events/execute` });
    expect(request!.headers['x-api-key']).toBe(API_KEY);
    expect(request!.headers.authorization).toBe(API_KEY);
    expect(request!.json).toEqual({ data: JSON.parse(JSON.stringify(publication)) });
    expect((request!.json as { data: { id: string } }).data.id).toBe(alert.id);
  },
});
