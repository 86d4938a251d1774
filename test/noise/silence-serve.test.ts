import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalertAsync, waitUntil } from '../support/cli.ts';
import { noMoto } from '../support/moto.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { duoRecord } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';
import { listed, noiseProject, withAws, type Backend } from './support.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

const backends: [Backend, boolean][] = [
  ['sqlite', false],
  ['dynamodb', noMoto],
];

describe.each(backends)('silences with serve running (%s store)', (backend, skip) => {
  if (skip) return it.skip('needs moto_server');
  let slack: LoopbackReceiver;
  const env = withAws(isolatedEnv());
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  /** Posts one Duo fraud for `user` and returns when serve answered 202 (its alert stored). */
  /** Posts one Duo record of `user`; returns what the answer says was suppressed. */
  async function post(serve: RunningServe, user: string, token?: string): Promise<Record<string, number>> {
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, {
      method: 'POST',
      body: JSON.stringify(duoRecord({ user: { name: user, key: 'DU3KC77WJ06Y5HIV7XKQ' } })),
      ...(token && { headers: { authorization: `Bearer ${token}` } }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { suppressed: Record<string, number> }).suppressed;
  }

  it('a silence added with the CLI takes effect for the next record, survives a restart of serve, and ends when expired', async () => {
    const dir = await noiseProject(backend, { 'rules/duo_fraud.ts': RULE }, slack.url, env);
    let serve = await startServe(dir, env);
    await post(serve, 'bob@example.com');
    await waitUntil(() => slack.requests.length === 1);

    const added = await streamalertAsync(['--project', dir, 'silence', 'add', '--match', 'rule_name=duo_fraud', '--match', 'record.user.name=~bob@.*', '--for', '2h', '--comment', 'pen test', '--created-by', 'alice'], { env });
    expect(added.status, added.stderr).toBe(0);
    const silenceId = added.stdout.trim();
    expect(added.stderr).toContain(`Silence ${silenceId} added: active`);

    expect(await post(serve, 'bob@example.com')).toEqual({ silenced: 1 });
    expect(await post(serve, 'carol@example.com')).toEqual({});
    await waitUntil(() => slack.requests.length === 2);
    await waitUntil(async () => (await listed(dir, env, '--status', 'silenced')).length === 1);
    const silenced = await listed(dir, env, '--status', 'silenced');
    expect(silenced[0]).toMatchObject({ rule_name: 'duo_fraud', deliveries: [], suppressed: { reason: 'silenced', silence_id: silenceId } });
    const text = await streamalertAsync(['--project', dir, 'alerts', 'list', '--status', 'silenced'], { env });
    expect(text.stdout).toContain(`not sent: silenced by ${silenceId}`);
    expect(slack.requests[1]!.body).toContain('carol@example.com');

    expect(await serve.stop()).toBe(0);
    serve = await startServe(dir, env);
    await post(serve, 'bob@example.com');
    await waitUntil(async () => (await listed(dir, env, '--status', 'silenced')).length === 2);
    const list = await streamalertAsync(['--project', dir, 'silence', 'list'], { env });
    expect(list.stdout).toMatch(new RegExp(`${silenceId}  active, ends \\S+, rule_name=duo_fraud record.user.name=~bob@.\\* \\(by alice: pen test\\)`));

    const expired = await streamalertAsync(['--project', dir, 'silence', 'expire', silenceId], { env });
    expect(expired.status, expired.stderr).toBe(0);
    await post(serve, 'bob@example.com');
    await waitUntil(() => slack.requests.length === 3);
    expect(slack.requests[2]!.body).toContain('bob@example.com');
    expect((await streamalertAsync(['--project', dir, 'silence', 'list'], { env })).stdout).toContain('No active or pending silences');
    expect(await serve.stop()).toBe(0);
    slack.requests.length = 0;
  });

  it('a silence --for 3s holds while it lasts and ends on time, without being expired', async () => {
    const dir = await noiseProject(backend, { 'rules/duo_fraud.ts': RULE }, slack.url, env);
    const serve = await startServe(dir, env);
    const added = await streamalertAsync(['--project', dir, 'silence', 'add', '--match', 'rule_name=duo_fraud', '--for', '3s', '--comment', 'short drill', '--json'], { env });
    expect(added.status, added.stderr).toBe(0);
    const silence = JSON.parse(added.stdout) as { id: string; ends_at: string; created_by: string };
    expect(silence.created_by).not.toBe('');
    const endsAt = Date.parse(silence.ends_at);

    await post(serve, 'bob@example.com');
    // Whether this one fell inside the silence depends on how loaded the machine is: the store must agree with its creation time either way.
    const [first] = await listed(dir, env);
    expect(first!.suppressed?.reason === 'silenced').toBe(Date.parse(first!.created) < endsAt);

    await waitUntil(() => Date.now() > endsAt);
    await post(serve, 'dave@example.com');
    await waitUntil(() => slack.requests.some((request) => request.body.includes('dave@example.com')));
    const states = JSON.parse((await streamalertAsync(['--project', dir, 'silence', 'list', '--all', '--json'], { env })).stdout) as { id: string; state: string }[];
    expect(states).toEqual([expect.objectContaining({ id: silence.id, state: 'expired' })]);
    expect(await serve.stop()).toBe(0);
    slack.requests.length = 0;
  });

  it('serve: /v1/silences lists, adds (created by the token holder, validated) and expires silences, behind the token', async () => {
    const dir = await noiseProject(backend, { 'rules/duo_fraud.ts': RULE }, slack.url, env);
    const token = (await streamalertAsync(['--project', dir, 'token', 'create', '--name', 'ops'], { env })).stdout.trim();
    const serve = await startServe(dir, env);
    const auth = { authorization: `Bearer ${token}` };

    expect((await fetch(`${serve.base}/v1/silences`)).status).toBe(401);
    const bad = await fetch(`${serve.base}/v1/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ matchers: ['rule_name=~('], for: '1h', comment: 'x' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("the regex of matcher 'rule_name' does not compile");
    const unknownField = await fetch(`${serve.base}/v1/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ matchers: ['rule_name=duo_fraud'], for: '1h', comment: 'x', endsAt: 0 }) });
    expect(unknownField.status).toBe(400);
    const noComment = await fetch(`${serve.base}/v1/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ matchers: ['rule_name=duo_fraud'], for: '1h', comment: ' ' }) });
    expect(noComment.status).toBe(400);

    const created = await fetch(`${serve.base}/v1/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ matchers: ['record.user.name=bob@example.com'], for: '1h', comment: 'ticket SEC-9' }) });
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { id: string; state: string; created_by: string; matchers: string[] };
    expect(silence).toMatchObject({ state: 'active', created_by: 'ops', matchers: ['record.user.name=bob@example.com'] });

    await post(serve, 'bob@example.com', token);
    await waitUntil(async () => (await listed(dir, env, '--status', 'silenced')).length === 1);
    const listedSilences = (await (await fetch(`${serve.base}/v1/silences`, { headers: auth })).json()) as { silences: { id: string }[] };
    expect(listedSilences.silences.map((s) => s.id)).toEqual([silence.id]);

    const expired = await fetch(`${serve.base}/v1/silences/${silence.id}/expire`, { method: 'POST', headers: auth });
    expect(expired.status).toBe(200);
    expect(((await expired.json()) as { state: string }).state).toBe('expired');
    expect(((await (await fetch(`${serve.base}/v1/silences`, { headers: auth })).json()) as { silences: unknown[] }).silences).toEqual([]);
    expect((await fetch(`${serve.base}/v1/silences/no-such-id`, { method: 'DELETE', headers: auth })).status).toBe(404);
    await post(serve, 'bob@example.com', token);
    await waitUntil(() => slack.requests.length === 1);
    expect(await serve.stop()).toBe(0);
    slack.requests.length = 0;
  });
});
