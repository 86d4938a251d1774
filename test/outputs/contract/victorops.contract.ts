import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { VictorOpsAlert } from '../../../src/outputs/victorops/message.ts';
import { httpContract } from '../../support/contract.ts';

const API_KEY = '5f2a9c1e-7b3d-4e8f-a1c6-0d9b2e4f7a38';
const ROUTING_KEY = 'secops-routing-7QX2';
const ENDPOINT = `/integrations/generic/20131114/alert/${API_KEY}`;

export default httpContract({
  service: 'victorops',
  docs: ['https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/', 'https://help.victorops.com/knowledge-base/incident-fields-glossary/'],
  idempotency: 'deduplicated by Splunk On-Call: entity_id is the alert id on every attempt, so a retry joins the open incident of that entity instead of paging again',
  // The URL as Splunk On-Call shows it, with its $routing_key placeholder still at the end.
  values: (base) => ({ url: new Secret(`${base}${ENDPOINT}/$routing_key`), routing_key: new Secret(ROUTING_KEY) }),
  secrets: [API_KEY, ROUTING_KEY],
  answer: (request) => ({ status: 200, body: { result: 'success', entity_id: (request.json as VictorOpsAlert).entity_id } }),
  // Undocumented; a key Splunk On-Call does not know is refused before any routing.
  authFailure: { status: 403, body: { result: 'failure', message: 'Forbidden' } },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: `${ENDPOINT}/${ROUTING_KEY}` });
    expect(request!.headers['content-type']).toBe('application/json');
    const body = request!.json as VictorOpsAlert;
    expect(body).toMatchObject({ message_type: 'CRITICAL', entity_id: alert.id, entity_display_name: `Rule triggered: ${alert.ruleName}`, monitoring_tool: 'StreamAlert' });
    expect(body.state_start_time).toBe(Math.floor(alert.created.getTime() / 1000));
    expect(body.state_message.startsWith(alert.ruleDescription)).toBe(true);
  },
});
