import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { IncidentFields } from '../../../src/outputs/servicenow/incident.ts';
import { httpContract } from '../../support/contract.ts';

const PASSWORD = 'Sn0w!pass:with spaces';
const SYS_ID = '9d385017c611228701d22104cc95c371';

export default httpContract({
  service: 'servicenow',
  docs: ['https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html', 'https://www.servicenow.com/docs/r/platform-administration/t_TextFieldCharacterCounter.html'],
  idempotency: 'by lookup: ServiceNow does not deduplicate on correlation_id itself, so each attempt first looks up the incident whose correlation_id is the alert id and creates one only when there is none',
  values: (base) => ({ url: base, username: 'streamalert.integration', password: new Secret(PASSWORD) }),
  secrets: [PASSWORD],
  // The lookup finds nothing (a first delivery); the create answers 201 with the record's fields asked for.
  answer: (request) => (request.method === 'GET' ? { status: 200, body: { result: [] } } : { status: 201, body: { result: { sys_id: SYS_ID, number: 'INC0010001' } } }),
  authFailure: { status: 401, body: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' } },
  check(requests, alert) {
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`streamalert.integration:${PASSWORD}`).toString('base64')}`);
      expect(request.headers.accept).toBe('application/json');
    }
    const [lookup, create] = requests;
    const lookupUrl = new URL(lookup!.path, 'http://instance');
    expect(lookup!.method).toBe('GET');
    expect(lookupUrl.pathname).toBe('/api/now/table/incident');
    expect(Object.fromEntries(lookupUrl.searchParams)).toEqual({ sysparm_query: `correlation_id=${alert.id}`, sysparm_fields: 'sys_id,number', sysparm_limit: '1' });
    expect(create).toMatchObject({ method: 'POST', path: '/api/now/table/incident?sysparm_fields=sys_id%2Cnumber' });
    expect(create!.headers['content-type']).toBe('application/json');
    const fields = create!.json as IncidentFields;
    expect(fields).toMatchObject({ short_description: `StreamAlert: ${alert.ruleName}`, correlation_id: alert.id, correlation_display: 'StreamAlert' });
    expect(['1', '2', '3']).toContain(fields.urgency);
    expect(['1', '2', '3']).toContain(fields.impact);
    expect(fields.description).toContain(`StreamAlert alert ${alert.id} created`);
  },
});
