import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import type { BannedHash } from '../../../src/outputs/carbonblack/ban.ts';
import { httpContract } from '../../support/contract.ts';

const TOKEN = '9d2f4c1ab37e5f60a8b9c0d1e2f3a4b5c6d7e8f9';
const MD5 = '7FB55F5A62E78AF9B58D08AAEEAEF848';

export default httpContract({
  service: 'carbonblack',
  docs: [
    'https://github.com/carbonblack/cbapi-python/blob/master/docs/response-examples.rst',
    'https://github.com/carbonblack/cbapi-python/blob/master/src/cbapi/response/models.py',
  ],
  idempotency: 'deduplicated by the server: a hash banned already is answered 409 Conflict, which counts as delivered, so a retry never bans twice',
  alertContext: { carbonblack: { action: 'ban', value: MD5 } },
  values: (base) => ({ url: new Secret(base), token: new Secret(TOKEN) }),
  secrets: [TOKEN],
  answer: (request) => (request.method === 'GET' ? { status: 200, body: { version: '7.7.0', cblr_enabled: true } } : { status: 200, body: { result: 'success' } }),
  authFailure: { status: 401, body: 'Unauthorized' },
  check(requests, alert) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.headers['x-auth-token']).toBe(TOKEN);
    if (alert.context.carbonblack === undefined) {
      // The test alert of `output test` bans nothing: it reads the server's info with the token.
      expect(request).toMatchObject({ method: 'GET', path: '/api/info' });
      return;
    }
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/banning/blacklist' });
    const ban = request!.json as BannedHash;
    expect(ban).toMatchObject({ md5hash: MD5.toLowerCase(), enabled: true });
    expect(ban.text).toContain(alert.id);
  },
});
