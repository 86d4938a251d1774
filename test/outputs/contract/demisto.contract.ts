import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { DemistoIncident } from '../../../src/outputs/demisto/incident.ts';
import { httpContract } from '../../support/contract.ts';

const API_KEY = 'C0FFEE5A1B2C3D4E5F60718293A4B5C6';

export default httpContract({
  service: 'demisto',
  docs: [
    'https://docs-cortex.paloaltonetworks.com/r/Cortex-XSOAR/8.6/Cortex-XSOAR-On-prem-Documentation/Cortex-XSOAR-API',
    'https://cortex-panw.stoplight.io/docs/cortex-xsoar-8/kjn2q21a7yrbm-create-or-update-an-incident',
  ],
  idempotency: 'none: POST /incident takes no idempotency key, so a retry after a lost answer may open a second incident (its labels name the alert id)',
  values: (base) => ({ url: new Secret(`${base}/xsoar`), token: new Secret(API_KEY) }),
  secrets: [API_KEY],
  answer: () => ({ status: 200, body: { id: '1042', name: 'cloudtrail_root_account_usage', status: 1 } }),
  authFailure: { status: 401, body: { id: 'unauthorized', status: 401, title: 'Unauthorized', detail: 'API key is not valid' } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/xsoar/incident' });
    expect(request!.headers.authorization).toBe(API_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    const incident = request!.json as DemistoIncident;
    expect(incident).toMatchObject({ name: alert.ruleName, type: 'Unclassified', details: alert.ruleDescription, createInvestigation: true, occurred: alert.created.toISOString() });
    expect(incident.severity).toBe({ critical: 4, error: 3, warning: 2, info: 0.5 }[alert.severity]);
    expect(incident.labels).toContainEqual({ type: 'id', value: alert.id });
    expect(incident.labels).toContainEqual({ type: 'rule_name', value: alert.ruleName });
  },
});
