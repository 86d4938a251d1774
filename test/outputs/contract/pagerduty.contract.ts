import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { PagerDutyTriggerEvent } from '../../../src/outputs/pagerduty/event.ts';
import { httpContract } from '../../support/contract.ts';

const ROUTING_KEY = 'R02F4C6E8A0B2D4F6A8C0E2B4D6F8A1C';
const ENQUEUE = '/v2/enqueue';

export default httpContract({
  service: 'pagerduty',
  docs: [
    'https://developer.pagerduty.com/docs/events-api-v2/trigger-events/',
    'https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic',
    'https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/05-Rate-Limits.md',
  ],
  idempotency: 'deduplicated by PagerDuty: the dedup_key is the alert id on every attempt, so a retry lands on the open alert instead of opening a second incident',
  values: (base) => ({ routing_key: new Secret(ROUTING_KEY), url: base + ENQUEUE }),
  secrets: [ROUTING_KEY],
  answer: (request) => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: (request.json as PagerDutyTriggerEvent).dedup_key } }),
  // PagerDuty refuses an unknown integration key as an invalid event.
  authFailure: { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } },
  rateLimited: { status: 429, body: 'Request Limit Exceeded', headers: { 'retry-after': '30' }, retryAfterMs: 30_000 },
  serverError: { status: 500, body: 'Internal Server Error' },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: ENQUEUE });
    expect(request!.headers['content-type']).toBe('application/json');
    const event = request!.json as PagerDutyTriggerEvent;
    expect(event).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger', dedup_key: alert.id });
    expect(event.payload).toMatchObject({ severity: alert.severity, timestamp: alert.created.toISOString(), custom_details: alert.record });
    expect(event.payload.summary).toMatch(new RegExp(`^Rule triggered: ${alert.ruleName}`));
    expect(event.payload.source).not.toBe('');
  },
});
