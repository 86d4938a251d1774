import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalertAsync, waitUntil } from '../support/cli.ts';
import { noMoto } from '../support/moto.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { duoRecord } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe } from '../support/serve.ts';
import { listed, noiseProject, withAws, type Backend } from './support.ts';

/** A Duo fraud rule with `options`, its key the user's name. Periods are fractions of a minute, so windows close in seconds. */
function fraudRule(options: string): Record<string, string> {
  return {
    'rules/duo_fraud.ts': `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], dedup: (rec) => rec.user.name, ${options} }, (rec) => rec.result === 'fraud');
`,
  };
}

function frauds(user: string, count: number): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify(duoRecord({ timestamp: 1715675412 + i, user: { name: user, key: 'DU3KC77WJ06Y5HIV7XKQ' } }))).join('\n');
}

const backends: [Backend, boolean][] = [
  ['sqlite', false],
  ['dynamodb', noMoto],
];

describe.each(backends)('dedup, thresholds and inhibition through the CLI (%s store)', (backend, skip) => {
  if (skip) return it.skip('needs moto_server');
  let slack: LoopbackReceiver;
  const env = withAws(isolatedEnv());
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  it('serve: 100 alerts of one dedup key within a period are one message, then one update saying 99 more', async () => {
    slack.requests.length = 0;
    // Long enough that all 100 are stored inside the window on a loaded machine; the test waits for its close.
    const dir = await noiseProject(backend, fraudRule("dedupPeriodMins: 0.25"), slack.url, env);
    const serve = await startServe(dir, env);
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: frauds('bob@example.com', 100) });
    expect(response.status).toBe(202);
    // The answer says how many of its alerts were kept from being sent, and why.
    expect(await response.json()).toMatchObject({ alerts: 100, suppressed: { deduplicated: 99 } });

    await waitUntil(() => slack.requests.length >= 2);
    expect(slack.requests[0]!.body).toContain('bob@example.com');
    expect(slack.requests[0]!.body).not.toContain('more alerts');
    expect(slack.requests[1]!.body).toContain('99 more alerts of duo_fraud for bob@example.com in the last 0.25 minutes');

    const alerts = await listed(dir, env, '--rule', 'duo_fraud');
    const update = alerts.find((a) => a.update_of);
    const sent = alerts.find((a) => a.id === update!.update_of)!;
    expect(sent.deliveries).toEqual([expect.objectContaining({ output: 'slack:sec-alerts', status: 'delivered' })]);
    const deduplicated = alerts.filter((a) => a.suppressed);
    expect(deduplicated).toHaveLength(99);
    for (const alert of deduplicated) expect(alert).toMatchObject({ deliveries: [], suppressed: { reason: 'deduplicated', onto: sent.id } });
    await waitUntil(async () => (await listed(dir, env, '--status', 'delivered')).length === 2);
    const text = await streamalertAsync(['--project', dir, 'alerts', 'show', deduplicated[0]!.id], { env });
    expect(text.stdout).toContain(`noise       not sent: deduplicated onto ${sent.id}`);
    expect(await serve.stop()).toBe(0);
    expect(slack.requests).toHaveLength(2);
  });

  it('run: threshold 5 with 4 alerts sends nothing and stores the 4 below threshold; 5 of another key send the 5th', async () => {
    slack.requests.length = 0;
    const dir = await noiseProject(backend, fraudRule('threshold: 5, dedupPeriodMins: 10'), slack.url, env);
    writeFileSync(join(dir, 'four.ndjson'), frauds('bob@example.com', 4));
    const four = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'four.ndjson')], { env });
    expect(four.status, four.stdout + four.stderr).toBe(0);
    expect(four.stdout).toContain('Alerts: 4');
    expect(four.stdout).toContain("Not sent (stored, see 'streamalert alerts list --status suppressed'): 4 below threshold");
    const below = await listed(dir, env, '--status', 'below_threshold');
    expect(below).toHaveLength(4);
    for (const alert of below) expect(alert).toMatchObject({ deliveries: [], suppressed: { reason: 'below_threshold' } });
    expect((await streamalertAsync(['--project', dir, 'alerts', 'list'], { env })).stdout).toContain('not sent: below threshold');

    writeFileSync(join(dir, 'five.ndjson'), frauds('carol@example.com', 5));
    const five = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'five.ndjson')], { env });
    expect(five.status, five.stdout + five.stderr).toBe(0);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.body).toContain('carol@example.com');
    expect(await listed(dir, env, '--status', 'below_threshold')).toHaveLength(8);
  });

  it("run: inhibition stores the inhibited rule's alert for the same key as suppressed, and sends one for another key", async () => {
    slack.requests.length = 0;
    const rules = {
      'rules/duo.ts': `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], dedup: (rec) => rec.user.name, inhibits: ['duo_denied'], inhibitWindowMins: 10 }, (rec) => rec.result === 'fraud');
export const duo_denied = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], dedup: (rec) => rec.user.name, dedupPeriodMins: 0.01 }, (rec) => rec.result === 'denied');
`,
    };
    const dir = await noiseProject(backend, rules, slack.url, env);
    const records = [
      duoRecord({ user: { name: 'alice@example.com' } }),
      duoRecord({ result: 'denied', user: { name: 'alice@example.com' } }),
      duoRecord({ result: 'denied', user: { name: 'bob@example.com' } }),
    ];
    writeFileSync(join(dir, 'records.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
    const run = await streamalertAsync(['--project', dir, 'run', '--input', join(dir, 'records.ndjson'), '--json'], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ stats: { alerts: 3 }, suppressed: { inhibited: 1 } });
    await waitUntil(() => slack.requests.length === 2);
    expect(slack.requests.map((r) => r.body.includes('bob@example.com') || r.body.includes('alice@example.com'))).toEqual([true, true]);

    const inhibited = await listed(dir, env, '--status', 'inhibited');
    expect(inhibited).toHaveLength(1);
    expect(inhibited[0]).toMatchObject({ rule_name: 'duo_denied', deliveries: [], suppressed: { reason: 'inhibited', by_rule: 'duo_fraud' } });
    const shown = await streamalertAsync(['--project', dir, 'alerts', 'show', inhibited[0]!.id, '--json'], { env });
    expect((JSON.parse(shown.stdout) as { record: { user: { name: string } } }).record.user.name).toBe('alice@example.com');
    const sentDenied = (await listed(dir, env, '--rule', 'duo_denied', '--status', 'delivered'))[0]!;
    const shownSent = await streamalertAsync(['--project', dir, 'alerts', 'show', sentDenied.id, '--json'], { env });
    expect((JSON.parse(shownSent.stdout) as { record: { user: { name: string } } }).record.user.name).toBe('bob@example.com');
    expect((await streamalertAsync(['--project', dir, 'alerts', 'list', '--status', 'suppressed'], { env })).stdout).toContain('not sent: inhibited by duo_fraud');
  });
});
