import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalertAsync, waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

type Env = ReturnType<typeof isolatedEnv>;

/** A project whose one rule sends to slack:sec-alerts, configured (through the CLI) to post to `url`. */
async function project(env: Env, url: string): Promise<string> {
  const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } } });
  const configured = await configureSlack(dir, env, url);
  expect(configured.status, configured.stderr).toBe(0);
  return dir;
}

function configureSlack(dir: string, env: Env, url: string, ...flags: string[]) {
  return streamalertAsync(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-', ...flags], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url }) });
}

/** Posts one record that raises one alert, and waits until serve has nothing pending (delivered or dead-lettered). */
async function raiseAlert(serve: RunningServe): Promise<void> {
  const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: JSON.stringify(duoRecord()) });
  expect(response.status).toBe(202);
  expect(await response.json()).toMatchObject({ alerts: 1 });
  await waitUntil(async () => ((await (await fetch(`${serve.base}/healthz`)).json()) as { pending: number }).pending === 0);
}

/** The dead letters of the project's store, by output, with their last result. */
async function deadLetters(dir: string, env: Env): Promise<{ output: string; last_result: string }[]> {
  const listed = await streamalertAsync(['--project', dir, 'alerts', 'list', '--status', 'failed', '--json'], { env });
  expect(listed.status, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { deliveries: { output: string; status: string; last_result: string }[] }[])
    .flatMap((alert) => alert.deliveries)
    .filter((delivery) => delivery.status === 'failed');
}

describe('serve follows the outputs configuration while it runs', () => {
  let a: LoopbackReceiver;
  let b: LoopbackReceiver;
  beforeAll(async () => {
    [a, b] = await Promise.all([LoopbackReceiver.start(), LoopbackReceiver.start()]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('sends to the new URL after output new --update, and dead-letters, with a report, after output delete', async () => {
    const env = isolatedEnv();
    const dir = await project(env, `${a.url}/services/T/B/A`);
    const serve = await startServe(dir, env);
    await raiseAlert(serve);
    expect(a.requests).toHaveLength(1);

    expect((await configureSlack(dir, env, `${b.url}/services/T/B/B`, '--update')).status).toBe(0);
    await raiseAlert(serve);
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]!.path).toBe('/services/T/B/B');
    expect(a.requests).toHaveLength(1);

    const deleted = await streamalertAsync(['--project', dir, 'output', 'delete', 'slack:sec-alerts', '--force'], { env });
    expect(deleted.status, deleted.stderr).toBe(0);
    await raiseAlert(serve);
    expect(b.requests).toHaveLength(1);
    await waitUntil(() => serve.output.stderr.includes('slack:sec-alerts was deleted from conf/outputs.json while 1 delivery waits for it'));
    expect(await deadLetters(dir, env)).toEqual([expect.objectContaining({ output: 'slack:sec-alerts', last_result: expect.stringContaining('config: slack:sec-alerts was deleted from conf/outputs.json') })]);
    expect(await serve.stop()).toBe(0);
  });

  it('retries, rather than dead-letters, while the master key is missing, and delivers once the key file is restored', async () => {
    const env = isolatedEnv();
    const dir = await project(env, `${a.url}/services/T/B/KEY`);
    const id = readFileSync(join(dir, '.streamalert', 'secrets', 'keyring-id'), 'utf8').trim();
    const keyFile = join(env.XDG_CONFIG_HOME, 'streamalert', 'keys', `${id}.json`);
    renameSync(keyFile, `${keyFile}.backup`);
    const serve = await startServe(dir, env);

    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: JSON.stringify(duoRecord()) });
    expect(response.status).toBe(202);
    await waitUntil(() => /there is no master key.*"msg":"delivery retrying"/.test(serve.output.stderr));
    renameSync(`${keyFile}.backup`, keyFile);
    await waitUntil(() => a.requests.some((request) => request.path === '/services/T/B/KEY'));

    await raiseAlert(serve);
    expect(a.requests.filter((request) => request.path === '/services/T/B/KEY')).toHaveLength(2);
    expect(await deadLetters(dir, env)).toEqual([]);
    expect(await serve.stop()).toBe(0);
  });
});
