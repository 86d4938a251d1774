import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { OutputConfigError } from '../../src/outputs/errors.ts';
import { toCef } from '../../src/outputs/phantom/cef.ts';
import { PhantomOutput } from '../../src/outputs/phantom/phantom.ts';
import { SOAR_ARTIFACT_MAX_BYTES, TRUNCATED_FIELD } from '../../src/outputs/phantom/artifact-size.ts';
import { LoopbackReceiver, type ReceivedRequest, type Scripted } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { hangContext, makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();
const hanging = hangContext();
const TOKEN = 'ph4uthT0k3nS3cr3tValue+/=';
/** SOAR behind a path (a tenant prefix): the path is part of the secret url. */
const BASE_PATH = '/soar-tenant-7f3c9e';
const SECRETS = [TOKEN, BASE_PATH];
const RULE = 'cloudtrail_root_account_usage';

/** A scripted SOAR: the answer for each call, keyed by method and endpoint. */
type Routes = Partial<Record<'GET container' | 'POST container' | 'GET artifact' | 'POST artifact', Scripted>>;
const list = (...ids: number[]) => ({ status: 200, body: { count: ids.length, num_pages: 1, data: ids.map((id) => ({ id })) } });
const created = (id: number) => ({ status: 200, body: { id, success: true } });

function route(request: ReceivedRequest): string {
  const url = new URL(request.path, 'http://soar');
  const endpoint = url.pathname.slice(BASE_PATH.length).replace(/^\/rest\//, '');
  return `${request.method} ${endpoint}`;
}

describe('CEF from a record', () => {
  it('flattens nested objects with _, keeps scalars and turns arrays into JSON text', () => {
    expect(toCef({ eventName: 'ConsoleLogin', port: 443, mfa: false, none: null, userIdentity: { type: 'Root', session: { mfa: true } }, ips: ['1.2.3.4'], empty: {} })).toEqual({
      eventName: 'ConsoleLogin',
      port: 443,
      mfa: false,
      none: null,
      userIdentity_type: 'Root',
      userIdentity_session_mfa: true,
      ips: '["1.2.3.4"]',
      empty: '{}',
    });
  });

  it('keeps the first value on a key clash, and wraps a record that is not an object', () => {
    expect(toCef({ a_b: 1, a: { b: 2 } })).toEqual({ a_b: 1 });
    expect(toCef('plain text')).toEqual({ record: 'plain text' });
    expect(toCef([1, 2])).toEqual({ record: '[1,2]' });
  });

  it('declares url and ph_auth_token as secrets, verify_tls as plain with default true', () => {
    expect(PhantomOutput.properties.url).toMatchObject({ maskInput: true, credRequirement: true });
    expect([...PhantomOutput.properties.url.inputRestrictions]).toEqual([' ']);
    expect(PhantomOutput.properties.ph_auth_token).toMatchObject({ maskInput: true, credRequirement: true });
    expect(PhantomOutput.properties.verify_tls).toMatchObject({ value: 'true', maskInput: false, credRequirement: false });
  });
});

describe('Phantom output against a loopback SOAR', () => {
  let soar: LoopbackReceiver;
  beforeAll(async () => {
    soar = await LoopbackReceiver.start();
  });
  afterAll(() => soar.close());
  beforeEach(() => {
    soar.requests.length = 0;
  });

  const serve = (routes: Routes) => soar.respond((request) => routes[route(request) as keyof Routes] ?? { status: 599, body: 'unexpected call' });
  const output = (values: Record<string, string> = {}, outputContext = context) =>
    makeOutput(outputContext, 'phantom', { url: new Secret(soar.url + BASE_PATH), ph_auth_token: new Secret(TOKEN), ...values }, 'soc');
  const calls = () => soar.requests.map(route);

  it('creates the rule container when none exists, then the artifact, with the documented fields', async () => {
    serve({ 'GET container': list(), 'POST container': created(7), 'POST artifact': created(42) });
    const alert = sampleAlert({ severity: 'warning' });
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: '7/42' });
    // A new container cannot hold the artifact yet: no artifact lookup.
    expect(calls()).toEqual(['GET container', 'POST container', 'POST artifact']);

    const [lookup, createContainer, createArtifact] = soar.requests;
    for (const request of soar.requests) expect(request.headers['ph-auth-token']).toBe(TOKEN);
    const query = new URL(lookup!.path, 'http://soar').searchParams;
    expect(query.get('_filter_name')).toBe(`"${RULE}"`);
    expect(query.get('page_size')).toBe('1');
    expect(createContainer!.headers['content-type']).toBe('application/json');
    expect(createContainer!.json).toEqual({
      name: RULE,
      description: 'The root account was used: <investigate> & rotate',
      label: 'events',
      severity: 'medium',
      source_data_identifier: `streamalert:${RULE}`,
    });
    expect(createArtifact!.json).toEqual({
      container_id: 7,
      name: RULE,
      label: 'alert',
      severity: 'medium',
      source_data_identifier: alert.id,
      start_time: alert.created.toISOString(),
      cef: {
        eventName: 'ConsoleLogin',
        eventTime: '2026-11-28T07:00:00Z',
        sourceIPAddress: '203.0.113.7',
        userIdentity_type: 'Root',
        userIdentity_arn: 'arn:aws:iam::123456789012:root',
        userIdentity_accountId: '123456789012',
        resources: '[{"ARN":"arn:aws:iam::123456789012:root"}]',
      },
      data: JSON.parse(JSON.stringify(toAlertDocument(alert))),
      run_automation: true,
    });
  });

  it('adds to the container it finds, after checking no earlier attempt stored the artifact', async () => {
    serve({ 'GET container': list(5), 'GET artifact': list(), 'POST artifact': created(9) });
    const alert = sampleAlert({ severity: 'info' });
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: '5/9' });
    expect(calls()).toEqual(['GET container', 'GET artifact', 'POST artifact']);
    const query = new URL(soar.requests[1]!.path, 'http://soar').searchParams;
    expect(query.get('_filter_container')).toBe('5');
    expect(query.get('_filter_source_data_identifier')).toBe(`"${alert.id}"`);
    expect(soar.requests[2]!.json).toMatchObject({ container_id: 5, severity: 'low', source_data_identifier: alert.id });
  });

  it('does not add a second artifact when an earlier attempt already stored it', async () => {
    serve({ 'GET container': list(5), 'GET artifact': list(77) });
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '5/77' });
    expect(calls()).toEqual(['GET container', 'GET artifact']);
  });

  it.each([400, 200])('treats a duplicate-artifact answer (HTTP %i) as delivered with the existing id', async (status) => {
    serve({ 'GET container': list(5), 'GET artifact': list(), 'POST artifact': { status, body: { existing_artifact_id: 77, failed: true, message: 'artifact already exists' } } });
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '5/77' });
  });

  it('uses the existing container SOAR names on a duplicate create, and checks it for the artifact', async () => {
    serve({ 'GET container': list(), 'POST container': { status: 400, body: { existing_container_id: 3, failed: true, message: 'duplicate' } }, 'GET artifact': list(), 'POST artifact': created(11) });
    const alert = sampleAlert();
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '3/11' });
    expect(calls()).toEqual(['GET container', 'POST container', 'GET artifact', 'POST artifact']);
    expect(soar.requests[3]!.json).toMatchObject({ container_id: 3 });
  });

  it('quotes and URL-encodes a rule name with quotes, spaces and symbols', async () => {
    serve({ 'GET container': list(5), 'GET artifact': list(77) });
    const ruleName = 'odd "rule" & name/100%';
    const alert = sampleAlert({ ruleName });
    await output().dispatch(alert, toAlertDocument(alert));
    const raw = soar.requests[0]!.path;
    expect(raw).not.toContain(' ');
    expect(raw).not.toContain('"');
    expect(new URL(raw, 'http://soar').searchParams.get('_filter_name')).toBe('"odd \\"rule\\" & name/100%"');
  });

  it.each([
    ['GET container', 400, 'failed', 'client_error'],
    ['GET container', 401, 'failed', 'auth'],
    ['GET container', 403, 'failed', 'auth'],
    ['GET container', 404, 'failed', 'not_found'],
    ['POST container', 400, 'failed', 'client_error'],
    ['POST container', 500, 'retry', 'server_error'],
    ['GET artifact', 503, 'retry', 'server_error'],
    ['POST artifact', 400, 'failed', 'client_error'],
    ['POST artifact', 500, 'retry', 'server_error'],
    ['POST artifact', 503, 'retry', 'server_error'],
  ] as const)('classifies %s answering HTTP %i as %s (%s), naming SOAR\'s message', async (step, status, kind, reason) => {
    const routes: Routes = { 'GET container': list(), 'POST container': created(7), 'POST artifact': created(42) };
    if (step === 'GET artifact') routes['GET container'] = list(5);
    routes[step] = { status, body: { failed: true, message: `bad thing near ${TOKEN}` } };
    serve(routes);
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(`HTTP ${status}: {"failed":true,"message":"bad thing near [secret]"}`);
    expect(calls().at(-1)).toBe(step);
    expectNoSecrets(SECRETS, result);
  });

  it('cuts a record too large for one artifact: the CEF fields that fit, a note, and the document without its record', async () => {
    serve({ 'GET container': list(5), 'GET artifact': list(), 'POST artifact': created(9) });
    const record = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field_${i}`, 'v'.repeat(1000)]));
    const alert = sampleAlert({ record });
    expect(await output().dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '5/9' });
    const posted = soar.requests.at(-1)!;
    expect(Buffer.byteLength(posted.body)).toBeLessThanOrEqual(SOAR_ARTIFACT_MAX_BYTES);
    const artifact = posted.json as { cef: Record<string, string>; data: Record<string, unknown>; source_data_identifier: string };
    expect(artifact.source_data_identifier).toBe(alert.id);
    expect(artifact.cef[TRUNCATED_FIELD]).toMatch(/^the record was cut: the artifact was \d+ bytes, over the 2621440-byte bound/);
    expect(artifact.cef.field_0).toBe('v'.repeat(1000));
    expect(Object.keys(artifact.cef).length).toBeGreaterThan(1000);
    expect(artifact.cef.field_2999).toBeUndefined();
    expect(artifact.data).toMatchObject({ id: alert.id, rule_name: alert.ruleName, record: artifact.cef[TRUNCATED_FIELD] });
  });

  it('fails too_large, sending no artifact, when the document is too large even without its record', async () => {
    serve({ 'GET container': list(5), 'GET artifact': list() });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, { ...toAlertDocument(alert), enrichment: 'e'.repeat(SOAR_ARTIFACT_MAX_BYTES) });
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(calls()).toEqual(['GET container', 'GET artifact']);
  });

  it('retries a 2xx it cannot read, and fails a 2xx that reports failure', async () => {
    const alert = sampleAlert();
    serve({ 'GET container': { status: 200, body: '<html>login</html>' } });
    const unreadable = await output().dispatch(alert, toAlertDocument(alert));
    expect(unreadable).toMatchObject({ kind: 'retry', reason: 'server_error' });
    serve({ 'GET container': list(), 'POST container': { status: 200, body: { failed: true, message: `Invalid label near ${TOKEN}` } } });
    const refused = await output().dispatch(alert, toAlertDocument(alert));
    expect(refused).toEqual({ kind: 'failed', reason: 'client_error', message: 'SOAR refused the container: Invalid label near [secret]' });
    expectNoSecrets(SECRETS, unreadable, refused);
  });

  it('retries a hang as a timeout and a reset as a connection failure', async () => {
    const alert = sampleAlert();
    serve({ 'GET container': list(5), 'GET artifact': list() });
    soar.script('hang');
    const hung = await output({}, hanging).dispatch(alert, toAlertDocument(alert));
    expect(hung).toMatchObject({ kind: 'retry', reason: 'timeout' });
    soar.script(list(5), list(), 'reset');
    const reset = await output().dispatch(alert, toAlertDocument(alert));
    expect(reset).toMatchObject({ kind: 'retry', reason: 'connection' });
    expect(calls().at(-1)).toBe('POST artifact');
    expectNoSecrets(SECRETS, hung, reset);
  });

  it.each(['yes', 'TRUE', '0', 'off', 'constructor'])('refuses verify_tls=%s as a config error, sending nothing', (value) => {
    expect(() => output({ verify_tls: value })).toThrow(OutputConfigError);
    expect(() => output({ verify_tls: value })).toThrow('phantom:soc: verify_tls must be one of: true, false');
    expect(soar.requests).toHaveLength(0);
  });
});

describe('Phantom output against a self-signed HTTPS SOAR', () => {
  let dir: string;
  let server: Server;
  let baseUrl: string;
  let received = 0;

  beforeAll(async () => {
    // A throwaway self-signed certificate for 127.0.0.1, made at test time.
    dir = mkdtempSync(join(tmpdir(), 'streamalert-phantom-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      received += 1;
      req.resume().on('end', () => {
        const body = req.url!.startsWith('/rest/container?') ? { count: 1, data: [{ id: 5 }] } : req.url!.startsWith('/rest/artifact?') ? { count: 0, data: [] } : { id: 8, success: true };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const output = (verifyTls?: string) =>
    makeOutput(context, 'phantom', { url: new Secret(baseUrl), ph_auth_token: new Secret(TOKEN), ...(verifyTls ? { verify_tls: verifyTls } : {}) }, 'lab');

  it('fails as config when verification is on (the default), before any request is served', async () => {
    const alert = sampleAlert();
    for (const result of [await output().dispatch(alert, toAlertDocument(alert)), await output('true').dispatch(alert, toAlertDocument(alert))]) {
      expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
      expect(result.kind === 'failed' && result.message).toMatch(/TLS certificate that could not be verified/);
      expectNoSecrets([TOKEN], result);
    }
    expect(received).toBe(0);
  });

  it('delivers when verify_tls is false', async () => {
    const alert = sampleAlert();
    expect(await output('false').dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: '5/8' });
    expect(received).toBe(3);
  });
});
