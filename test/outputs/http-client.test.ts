import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/outputs/http/client.ts';
import { parseRetryAfter } from '../../src/outputs/http/retry-after.ts';
import { classifyStatus } from '../../src/outputs/http/status.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from '../support/timeouts.ts';

describe('the shared status table', () => {
  it.each([
    [200, 'delivered'], [202, 'delivered'], [204, 'delivered'],
    [408, 'retry'], [425, 'retry'], [429, 'retry'], [500, 'retry'], [502, 'retry'], [503, 'retry'],
    [400, 'failed'], [401, 'failed'], [403, 'failed'], [404, 'failed'], [410, 'failed'], [413, 'failed'], [422, 'failed'],
  ])('classifies HTTP %i as %s', (status, kind) => {
    expect(classifyStatus(status).kind).toBe(kind);
  });

  it('lets an output override one status', () => {
    expect(classifyStatus(404, { 404: { kind: 'retry', reason: 'server_error' } })).toEqual({ kind: 'retry', reason: 'server_error' });
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds', () => expect(parseRetryAfter('30')).toBe(30_000));
  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('2026-11-28T08:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 08:00:42 GMT', now)).toBe(42_000);
  });
  it('never returns a negative wait for a past date', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 07:00:00 GMT', Date.parse('2026-11-28T08:00:00Z'))).toBe(0);
  });
  it('ignores garbage and absence', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('HttpClient against a loopback server', () => {
  let server: LoopbackReceiver;
  const client = new HttpClient({ timeoutMs: ANSWER_TIMEOUT_MS });
  const hangingClient = new HttpClient({ timeoutMs: HANG_TIMEOUT_MS });
  const secretPath = '/hooks/T0001/B0001/s3cr3tt0k3nvalue';

  beforeAll(async () => {
    server = await LoopbackReceiver.start();
  });
  afterAll(async () => {
    await client.close();
    await hangingClient.close();
    await server.close();
  });

  it('sends JSON with a content type and reports 2xx as ok', async () => {
    server.script({ status: 200, body: 'ok' });
    const outcome = await client.send({ method: 'POST', url: server.url + '/x', json: { a: 1 } });
    expect(outcome.ok).toBe(true);
    const last = server.requests.at(-1)!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.json).toEqual({ a: 1 });
  });

  it('turns a 429 with Retry-After into a retry with that delay', async () => {
    server.script({ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' });
    const outcome = await client.send({ method: 'POST', url: server.url + secretPath, json: {} });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'rate_limited', retryAfterMs: 7000 } });
  });

  it('turns a hang into a timeout retry', async () => {
    server.script('hang');
    const outcome = await hangingClient.send({ method: 'POST', url: server.url + secretPath, json: {} });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'timeout' } });
    if (!outcome.ok) expect(outcome.result.message).toContain(`${HANG_TIMEOUT_MS} ms`);
  });

  it('turns a reset connection into a connection retry', async () => {
    server.script('reset');
    const outcome = await client.send({ method: 'POST', url: server.url + secretPath, json: {} });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'connection' } });
  });

  it('turns a refused connection into a connection retry', async () => {
    const outcome = await client.send({ method: 'POST', url: 'http://127.0.0.1:9/x', json: {} });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'connection' } });
  });

  it('fails an invalid URL as a config problem without echoing it', async () => {
    const outcome = await client.send({ url: 'not a url s3cr3t', json: {} });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'failed', reason: 'config' } });
    expectNoSecrets(['s3cr3t'], outcome);
  });

  it('never puts the secret URL path in a message, even when the server echoes it', async () => {
    server.respond((request) => ({ status: 404, body: `no route for POST ${request.path} token=${'s3cr3tt0k3nvalue'}` }));
    const outcome = await client.send({ method: 'POST', url: server.url + secretPath, json: {}, secrets: ['s3cr3tt0k3nvalue'] });
    server.respond(() => ({ status: 200, body: 'ok' }));
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'failed', reason: 'not_found' } });
    if (!outcome.ok) expect(outcome.result.message).toContain('127.0.0.1');
    expectNoSecrets([secretPath, 's3cr3tt0k3nvalue'], outcome.ok ? undefined : outcome.result);
  });

  it('keeps connections alive across requests', async () => {
    await client.send({ method: 'POST', url: server.url + '/a', json: {} });
    const connectionsBefore = server.connectionCount;
    for (let i = 0; i < 5; i++) await client.send({ method: 'POST', url: server.url + '/b', json: {} });
    expect(server.connectionCount).toBe(connectionsBefore);
  });
});
