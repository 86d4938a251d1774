import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { Secret } from '../../../src/secrets/secret.ts';
import { httpContract } from '../../support/contract.ts';

// The webhook's format is our own (docs/outputs/webhook.md): the alert document as JSON, the
// configured headers, and the signature over "<timestamp>.<body>" (HMAC, RFC 2104), verified
// here with node:crypto, apart from the Web Crypto code that made it.
const PATH_TOKEN = 'q7Zr2mXk9TbW4vLp0sNd';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2llbS1pbmdlc3Q.x1Wq8pR3kT6y';
const HMAC_SECRET = 'whsec_Vn3Lq9Xz2Rk7Tm4Pb8Yd';

export default httpContract({
  service: 'webhook',
  docs: ['https://www.rfc-editor.org/rfc/rfc9110#name-post', 'https://www.rfc-editor.org/rfc/rfc2104', 'https://mustache.github.io/mustache.5.html'],
  idempotency: 'by the receiver: every request carries X-StreamAlert-Alert-Id (the alert id, the same on every retry) to deduplicate on; a retry after a lost answer is otherwise sent again',
  values: (base) => ({
    url: new Secret(`${base}/siem/alerts?token=${PATH_TOKEN}`),
    headers: new Secret(JSON.stringify({ Authorization: `Bearer ${BEARER}`, 'X-Source': 'streamalert' })),
    hmac_secret: new Secret(HMAC_SECRET),
  }),
  secrets: [PATH_TOKEN, BEARER, HMAC_SECRET],
  answer: () => ({ status: 202, body: { accepted: true } }),
  authFailure: { status: 401, body: { error: 'invalid bearer token' } },
  check(requests, alert, publication) {
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: `/siem/alerts?token=${PATH_TOKEN}` });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Bearer ${BEARER}`,
      'x-source': 'streamalert',
      'x-streamalert-alert-id': alert.id,
    });
    expect(request!.json).toEqual(JSON.parse(JSON.stringify(publication)));
    const timestamp = String(request!.headers['x-streamalert-timestamp']);
    expect(timestamp).toMatch(/^\d{10}$/);
    const expected = `sha256=${createHmac('sha256', HMAC_SECRET).update(`${timestamp}.${request!.body}`).digest('hex')}`;
    expect(request!.headers['x-streamalert-signature']).toBe(expected);
  },
});
