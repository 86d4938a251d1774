import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { DatadogEvent } from '../../../src/outputs/datadog/event.ts';
import { httpContract } from '../../support/contract.ts';

const API_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export default httpContract({
  service: 'datadog',
  docs: ['https://docs.datadoghq.com/api/latest/events/#post-an-event', 'https://docs.datadoghq.com/api/latest/rate-limits/'],
  idempotency: 'none: the Events API takes no idempotency key, so a retry after a lost answer may post a second event (the same aggregation key groups them, and the text names the alert id)',
  values: (base) => ({ api_key: new Secret(API_KEY), api_url: `${base}/api/v1/events` }),
  secrets: [API_KEY],
  answer: () => ({ status: 202, body: { status: 'ok', event: { id: 5966411939375553000, id_str: '5966411939375553254', title: 'x' } } }),
  authFailure: { status: 403, body: { errors: ['Forbidden'] } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/events' });
    expect(request!.headers['dd-api-key']).toBe(API_KEY);
    const event = request!.json as DatadogEvent;
    expect(event.title).toBe(`Rule triggered: ${alert.ruleName}`);
    expect(event.text.length).toBeLessThanOrEqual(4_000);
    expect(event.text).toMatch(/^%%% \n[\s\S]*\n %%%$/);
    expect(event.text).toContain(alert.id);
    expect(event).toMatchObject({ alert_type: alert.severity === 'info' ? 'info' : 'error', aggregation_key: alert.ruleName, date_happened: Math.floor(alert.created.getTime() / 1000) });
    expect(event.tags).toContain(`rule:${alert.ruleName}`);
  },
});
