import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'cGhBdXRoVG9rZW4tY29udHJhY3Q9c2VjcmV0';
/** SOAR behind a tenant path: the base url is a secret, so its path is one too. */
const TENANT = '/soar-tenant-4q8z1m';
const CONTAINER_ID = 7;
const ARTIFACT_ID = 42;

/** Where a request went: `GET container`, `POST artifact`. */
const route = (path: string): string => new URL(path, 'http://soar').pathname.slice(TENANT.length).replace(/^\/rest\//, '');

export default httpContract({
  service: 'phantom',
  docs: [
    'https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/container-endpoints/rest-containers',
    'https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/artifact-endpoints/rest-artifact',
    'https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/using-the-splunk-soar-rest-api/query-for-data',
  ],
  idempotency: "checked by the output: the artifact's source_data_identifier is the alert id, and a retry looks for it in the rule's container (or takes SOAR's existing_artifact_id) before adding one",
  values: (base) => ({ url: new Secret(base + TENANT), ph_auth_token: new Secret(TOKEN) }),
  secrets: [TOKEN, TENANT],
  // A SOAR without the rule's container yet: it is created, then the artifact.
  answer: (request) => {
    if (request.method === 'GET') return { status: 200, body: { count: 0, num_pages: 0, data: [] } };
    return { status: 200, body: { id: route(request.path) === 'container' ? CONTAINER_ID : ARTIFACT_ID, success: true } };
  },
  authFailure: { status: 401, body: { failed: true, message: 'Authentication failed: invalid ph-auth-token' } },
  serverError: { status: 500, body: { failed: true, message: 'Internal server error' } },
  check(requests, alert, publication) {
    expect(requests.map((request) => `${request.method} ${route(request.path)}`)).toEqual(['GET container', 'POST container', 'POST artifact']);
    for (const request of requests) expect(request.headers['ph-auth-token']).toBe(TOKEN);
    const [lookup, container, artifact] = requests;
    expect(new URL(lookup!.path, 'http://soar').searchParams.get('_filter_name')).toBe(JSON.stringify(alert.ruleName));
    expect(container!.headers['content-type']).toBe('application/json');
    expect(container!.json).toMatchObject({ name: alert.ruleName, label: 'events', source_data_identifier: `streamalert:${alert.ruleName}` });
    expect(artifact!.json).toMatchObject({
      container_id: CONTAINER_ID,
      name: alert.ruleName,
      label: 'alert',
      source_data_identifier: alert.id,
      start_time: alert.created.toISOString(),
      data: JSON.parse(JSON.stringify(publication)),
      run_automation: true,
    });
    expect(Object.keys((artifact!.json as { cef: object }).cef)).toContain(Object.keys(alert.record)[0]);
  },
});
