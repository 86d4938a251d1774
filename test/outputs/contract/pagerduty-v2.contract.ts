import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { PagerDutyTriggerEvent } from '../../../src/outputs/pagerduty/event.ts';
import { httpContract } from '../../support/contract.ts';

// pagerduty-v2 is the pagerduty output under StreamAlert's id: the same Events API v2 event.
const KEY = 'E7A0C3F5B8D1E4A7C0F3B6D9E2A5C8F1';

export default httpContract({
  service: 'pagerduty-v2',
  docs: ['https://developer.pagerduty.com/docs/events-api-v2/trigger-events/', 'https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic'],
  idempotency: "deduplicated by PagerDuty: every attempt's dedup_key is the alert id, and a trigger for an open alert's dedup_key joins that alert",
  values: (base) => ({ routing_key: new Secret(KEY), url: `${base}/v2/enqueue` }),
  secrets: [KEY],
  answer: () => ({ status: 202, body: { status: 'success', message: 'Event processed' } }),
  authFailure: { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } },
  check(requests, alert) {
    expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /v2/enqueue']);
    const { routing_key, event_action, dedup_key, payload } = requests[0]!.json as PagerDutyTriggerEvent;
    expect({ routing_key, event_action, dedup_key }).toEqual({ routing_key: KEY, event_action: 'trigger', dedup_key: alert.id });
    expect([payload.severity, payload.timestamp]).toEqual([alert.severity, alert.created.toISOString()]);
    expect(payload.summary.startsWith(`Rule triggered: ${alert.ruleName}`)).toBe(true);
  },
});
