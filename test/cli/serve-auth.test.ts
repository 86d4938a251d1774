import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync, waitUntil } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

describe('streamalert serve with tokens', () => {
  const env = isolatedEnv();
  const dir = tempProject({ ...SCHEMAS });
  const body = JSON.stringify(duoRecord());
  let serve: RunningServe;
  let ci = '';
  let other = '';
  const post = (headers: Record<string, string> = {}) => fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const created = [streamalert(['--project', dir, 'token', 'create', '--name', 'ci'], { env }), streamalert(['--project', dir, 'token', 'create', '--name', 'other'], { env })];
    for (const run of created) expect(run.status, run.stderr).toBe(0);
    [ci, other] = created.map((run) => run.stdout.trim()) as [string, string];
    serve = await startServe(dir, env);
  });
  afterAll(() => serve.stop());

  it('refuses a request without a token: 401, a JSON error saying what to send, and WWW-Authenticate: Bearer', async () => {
    const response = await post();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await response.json()) as { error: string }).error).toContain('Authorization: Bearer');
  });

  it('refuses a wrong token, and a token sent any other way than Bearer', async () => {
    expect((await post(bearer(`${ci}x`))).status).toBe(401);
    expect((await post(bearer('sat_not-a-token'))).status).toBe(401);
    expect((await post({ authorization: `Basic ${ci}` })).status).toBe(401);
  });

  it('accepts a good token on every route, and /healthz without one', async () => {
    expect((await post(bearer(ci))).status).toBe(202);
    expect((await fetch(`${serve.base}/metrics`, { headers: bearer(ci) })).status).toBe(200);
    expect((await fetch(`${serve.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${serve.base}/healthz`)).status).toBe(200);
  });

  it('refuses a revoked token from the next request on, without a restart, and keeps accepting the others', async () => {
    const revoked = await streamalertAsync(['--project', dir, 'token', 'revoke', 'ci'], { env });
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await post(bearer(ci))).status).toBe(401);
    expect((await post(bearer(other))).status).toBe(202);
    expect(serve.child.exitCode).toBeNull();
  });

  it('never logs a token', async () => {
    // Logged as the answer goes out: wait for the line rather than assume it was read already.
    await waitUntil(() => serve.output.stderr.includes('request refused'));
    for (const token of [ci, other]) expect(`${serve.output.stdout}${serve.output.stderr}`).not.toContain(token);
  });
});

describe('streamalert serve beyond loopback', () => {
  it('refuses to start on --host 0.0.0.0 while no token exists (exit 2), saying how to create one', () => {
    const dir = tempProject({ ...SCHEMAS });
    const run = streamalert(['--project', dir, 'serve', '--port', '0', '--host', '0.0.0.0'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('streamalert token create');
    expect(run.stdout).not.toContain('listening');
  });
});
