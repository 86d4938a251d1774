import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

describe('streamalert serve', () => {
  const health = async () => (await (await fetch(`${base}/healthz`)).json()) as { status: string; pending: number };
  let slack: LoopbackReceiver;
  let serve: RunningServe;
  let base = '';
  let dir = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    env = isolatedEnv();
    dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } } });
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
      env,
      input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }),
    });
    expect(configured.status, configured.stderr).toBe(0);
    serve = await startServe(dir, env);
    base = serve.base;
  });
  afterAll(() => slack.close());

  it('warns once, at start, that the API is unauthenticated while no token exists', async () => {
    // The warning goes to stderr, the 'listening' line that startServe waits for to stdout: either may come first.
    await waitUntil(() => serve.output.stderr.includes('the API is unauthenticated'));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(serve.output.stderr.match(/the API is unauthenticated/g)).toHaveLength(1);
  });

  it('stores posted records\' alerts, answers 202 with the counts, and delivers them', async () => {
    slack.requests.length = 0;
    const body = [duoRecord(), duoRecord({ result: 'success', reason: 'user_approved' }), duoRecord({ user: { name: 'eve@example.com', key: 'K9' } })]
      .map((record) => JSON.stringify(record))
      .join('\n');
    const response = await fetch(`${base}/v1/records?log_type=duo`, { method: 'POST', body });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ read: 3, classified: 3, unclassified: 0, alerts: 2 });
    await waitUntil(() => slack.requests.length === 2);
    await waitUntil(async () => (await health()).pending === 0);

    // Each alert says where its record came from: over HTTP, from a caller with no token (none exists).
    const listed = JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json'], { env }).stdout) as { id: string }[];
    expect(listed).toHaveLength(2);
    const shown = JSON.parse(streamalert(['--project', dir, 'alerts', 'show', listed[0]!.id, '--json'], { env }).stdout);
    expect(shown).toMatchObject({ source_service: 'http', source_entity: 'unauthenticated', cluster: 'local' });
  });

  it('keeps retrying in the background until the output answers', async () => {
    slack.requests.length = 0;
    slack.script({ status: 503, body: 'unavailable' }, { status: 503, body: 'unavailable' });
    const response = await fetch(`${base}/v1/records`, { method: 'POST', body: JSON.stringify([duoRecord()]) });
    expect(response.status).toBe(202);
    await waitUntil(async () => (await health()).pending === 0);
    expect(slack.requests.filter((r) => r.body.includes('duo_fraud'))).toHaveLength(3);
  });

  it('answers a clear 400 for an unknown log type, 404 and 405 elsewhere', async () => {
    const unknown = await fetch(`${base}/v1/records?log_type=nope`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain("log type 'nope' matches no schema");
    const elsewhere = await fetch(`${base}/v2/other`);
    expect(elsewhere.status).toBe(404);
    expect(((await elsewhere.json()) as { error: string }).error).toContain('POST /v1/records');
    expect((await fetch(`${base}/v1/records`)).status).toBe(405);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await serve.stop()).toBe(0);
    expect(serve.output.stdout).toContain('stopping; pending deliveries stay stored');
    expect(serve.output.stderr).toContain('"msg":"serve stopped"');
  });
});
