import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { HecEvent } from '../../../src/outputs/splunk-hec/event.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = 'b5e1c2d3-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

export default httpContract({
  service: 'splunk-hec',
  docs: [
    'https://docs.splunk.com/Documentation/Splunk/latest/Data/HECRESTendpoints',
    'https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector',
    'https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector',
  ],
  idempotency: 'none: without indexer acknowledgement HEC takes no idempotency key, so a retry after a lost answer may index the event twice (dedup in search on the alert id)',
  values: (base) => ({ url: base, token: new Secret(TOKEN) }),
  secrets: [TOKEN],
  answer: () => ({ status: 200, body: { text: 'Success', code: 0 } }),
  authFailure: { status: 403, body: { text: 'Invalid token', code: 4 } },
  serverError: { status: 503, body: { text: 'Server is busy', code: 9 } },
  check(requests, alert, publication) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/services/collector/event' });
    expect(request!.headers.authorization).toBe(`Splunk ${TOKEN}`);
    expect(request!.headers['x-splunk-request-channel']).toBeUndefined();
    const event = request!.json as HecEvent;
    expect(event).toMatchObject({ time: alert.created.getTime() / 1000, source: 'streamalert', sourcetype: 'streamalert:alert' });
    expect(event.host.length).toBeGreaterThan(0);
    expect(event.index).toBeUndefined();
    expect(event.event).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
