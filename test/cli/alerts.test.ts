import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivered, failed } from '../../src/outputs/result.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { BIN, streamalert, streamalertAsync, waitUntil } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

function project(env: NodeJS.ProcessEnv, url: string, delivery: object): string {
  const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery } });
  const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'sec-alerts', url }),
  });
  expect(configured.status, configured.stderr).toBe(0);
  return dir;
}

describe('stored alerts', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  it('loses no alert: after kill -9, alerts retry delivers every one', async () => {
    const env = isolatedEnv();
    const dir = project(env, `${slack.url}/services/T/B/X`, { timeoutMs: 60_000 });
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, Array.from({ length: 5 }, (_, i) => JSON.stringify(duoRecord({ user: { name: `user${i}@example.com`, key: `K${i}` } }))).join('\n'));

    // Slack hangs: the run is stuck mid-delivery when it is killed.
    slack.respond(() => 'hang');
    const child = spawn(process.execPath, [BIN, '--project', dir, 'run', '--input', input], { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
    // Killed mid-delivery, once every alert is stored (on a busy machine the last records may be
    // read after the first attempt has started).
    const storedCount = () => {
      const db = new Database(join(dir, '.streamalert', 'alerts.db'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    await waitUntil(() => slack.requests.length >= 1 && storedCount() === 5);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const store = new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db'));
    const stored = await store.list();
    store.close();
    expect(stored).toHaveLength(5);
    expect(stored.flatMap((s) => s.deliveries.map((d) => d.status))).toEqual(Array(5).fill('pending'));

    slack.requests.length = 0;
    slack.respond(() => ({ status: 200, body: 'ok' }));
    const retry = await streamalertAsync(['--project', dir, 'alerts', 'retry'], { env });
    expect(retry.status, retry.stdout + retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/slack:sec-alerts\s+5 delivered/);
    const deliveredIds = new Set(slack.requests.map((r) => /Alert `([0-9a-f-]{36})`/.exec(r.body)?.[1]));
    expect(deliveredIds).toEqual(new Set(stored.map((s) => s.alert.id)));

    const list = streamalert(['--project', dir, 'alerts', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).flatMap((a: { deliveries: { status: string }[] }) => a.deliveries.map((d) => d.status))).toEqual(Array(5).fill('delivered'));
  });

  it('lists dead letters, says so when only dead letters are left, and retries them with --failed', async () => {
    const env = isolatedEnv();
    const dir = project(env, `${slack.url}/services/T/B/Y`, { baseDelayMs: 5 });
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, JSON.stringify(duoRecord()));

    slack.respond(() => ({ status: 404, body: 'channel_not_found' }));
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/slack:sec-alerts\s+0 delivered, 1 failed/);
    expect(run.stdout).toContain('channel_not_found');
    const [id] = /[0-9a-f-]{36}/.exec(run.stderr) ?? [];
    expect(run.stderr).toContain(`streamalert: dead letter: slack:sec-alerts gave up on alert ${id} (rule duo_fraud): not_found:`);

    const failedList = streamalert(['--project', dir, 'alerts', 'list', '--status', 'failed'], { env });
    expect(failedList.stdout).toMatch(/duo_fraud\n\s+slack:sec-alerts\s+failed\s+attempts 1\s+failed not_found: .*channel_not_found/);

    slack.respond(() => ({ status: 200, body: 'ok' }));
    const plain = await streamalertAsync(['--project', dir, 'alerts', 'retry'], { env });
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain('Retried 0 deliveries.');
    expect(plain.stdout).toContain("1 dead letter is stored (see 'streamalert alerts list --status failed'); replay them with 'streamalert alerts retry --failed'");
    const retried = await streamalertAsync(['--project', dir, 'alerts', 'retry', '--failed'], { env });
    expect(retried.status, retried.stdout + retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/Retried 1 delivery\.[\s\S]*slack:sec-alerts\s+1 delivered/);
    expect(streamalert(['--project', dir, 'alerts', 'list', '--status', 'failed'], { env }).stdout).toContain('No stored alerts match.');

    // The history survives the replay: the dead letter's attempt, then the delivery.
    const show = streamalert(['--project', dir, 'alerts', 'show', id!], { env });
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toContain(`Alert ${id}\n  rule        duo_fraud (critical)`);
    expect(show.stdout).toMatch(/Record:\n  \{\n[\s\S]*\n    "result": "fraud"/);
    expect(show.stdout).toMatch(/Deliveries:\n  slack:sec-alerts\s+delivered\s+attempts 1\s+delivered/);
    expect(show.stdout).toMatch(/Attempts:\n  \S+Z  slack:sec-alerts\s+failed not_found: .*channel_not_found  \(\d+ ms\)\n  \S+Z  slack:sec-alerts\s+delivered  \(\d+ ms\)$/m);
    const json = JSON.parse(streamalert(['--project', dir, 'alerts', 'show', id!, '--json'], { env }).stdout);
    expect(json).toMatchObject({ id, rule_name: 'duo_fraud', record: { result: 'fraud' }, deliveries: [{ output: 'slack:sec-alerts', status: 'delivered' }] });
    expect(json.attempts.map((a: { result: string }) => a.result.split(':')[0])).toEqual(['failed not_found', 'delivered']);

    const missing = streamalert(['--project', dir, 'alerts', 'show', 'no-such-id'], { env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("error: no stored alert has the id no-such-id (see 'streamalert alerts list')");
  });

  it('filters the list by rule, output and time, shows when a retry is due, and discards dead letters for good', async () => {
    const env = isolatedEnv();
    const dir = project(env, `${slack.url}/services/T/B/Z`, { baseDelayMs: 5 });
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, [duoRecord(), duoRecord()].map((r) => JSON.stringify(r)).join('\n'));

    // One dead letter, one retry due in two minutes (Retry-After), left pending by --max-wait 0.
    slack.script({ status: 410, body: 'channel_is_archived' }, { status: 429, headers: { 'retry-after': '120' }, body: 'rate_limited' });
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input, '--max-wait', '0'], { env });
    expect(run.status).toBe(1);

    const list = streamalert(['--project', dir, 'alerts', 'list'], { env });
    expect(list.stdout).toMatch(/pending\s+attempts 1  next attempt in (2|1\.\d) min \(\S+Z\)  retry rate_limited/);
    const json = (args: string[]) => JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json', ...args], { env }).stdout) as { id: string }[];
    expect(json([])).toHaveLength(2);
    expect(json(['--rule', 'duo_fraud', '--output', 'slack:sec-alerts', '--since', '1h'])).toHaveLength(2);
    expect(json(['--rule', 'other_rule'])).toHaveLength(0);
    expect(json(['--output', 'pagerduty:oncall'])).toHaveLength(0);
    expect(json(['--since', '2099-01-01'])).toHaveLength(0);
    const pending = json(['--status', 'pending'])[0]!;
    expect(pending).toMatchObject({ deliveries: [{ status: 'pending', next_attempt_at: expect.stringMatching(/Z$/), last_result: expect.stringContaining('rate_limited') }] });
    const badSince = streamalert(['--project', dir, 'alerts', 'list', '--since', 'yesterday'], { env });
    expect(badSince.status).toBe(2);
    expect(badSince.stderr).toContain("--since takes a span such as 30m, 1h or 7d, or a date such as 2026-12-01 (got 'yesterday')");

    const none = streamalert(['--project', dir, 'alerts', 'discard'], { env });
    expect(none.status).toBe(2);
    const discard = streamalert(['--project', dir, 'alerts', 'discard', '--output', 'slack:sec-alerts'], { env });
    expect(discard.status, discard.stderr).toBe(0);
    expect(discard.stdout).toContain('Discarded 1 dead letter (output slack:sec-alerts).');
    expect(json(['--status', 'failed'])).toHaveLength(0);
    expect(json(['--status', 'discarded'])).toHaveLength(1);
    const again = streamalert(['--project', dir, 'alerts', 'discard', '--output', 'slack:sec-alerts'], { env });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no dead letters for output slack:sec-alerts');
  });
});

describe('retention', () => {
  it('prunes delivered alerts older than store.retentionDays, and keeps dead letters and recent alerts', async () => {
    const dir = tempProject({ ...SCHEMAS, 'conf/global.json': { store: { retentionDays: 2 } }, 'conf/outputs.json': { file: ['audit'] } });
    const store = new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db'));
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const [old, dead, recent] = [sampleAlert({ outputs: ['file:audit'], created: daysAgo(3) }), sampleAlert({ outputs: ['file:audit'], created: daysAgo(3) }), sampleAlert({ outputs: ['file:audit'], created: daysAgo(1) })];
    await store.save([old!, dead!, recent!]);
    for (const claimed of await store.claimDue({ now: Date.now(), limit: 10, leaseMs: 0, perOutput: 10 })) {
      await store.record(claimed, { result: claimed.alert.id === dead!.id ? failed('auth', 'denied') : delivered(), at: Date.now(), durationMs: 1 });
    }
    store.close();

    const list = streamalert(['--project', dir, 'alerts', 'list', '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([dead!.id, recent!.id, old!.id]));
    const retry = await streamalertAsync(['--project', dir, 'alerts', 'retry']);
    expect(retry.status).toBe(1); // the dead letter is left
    expect(JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json']).stdout).map((a: { id: string }) => a.id).sort()).toEqual([dead!.id, recent!.id].sort());
  });
});

describe.skipIf(noMoto)('the DynamoDB alert store, from the CLI', () => {
  it('says how to create the table, creates it, and runs with it', async () => {
    const env = isolatedEnv();
    const prefix = uniqueName('sa').toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const dir = tempProject({
      ...SCHEMAS,
      'rules/duo_fraud.ts': RULE.replace("'slack:sec-alerts'", "'file:audit'"),
      'conf/global.json': { account: { prefix, region: 'us-east-1' }, store: { backend: 'dynamodb' } },
      'conf/outputs.json': { file: ['audit'] },
      'conf/output_settings.json': { file: { audit: { path: 'alerts.jsonl' } } },
    });
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, JSON.stringify(duoRecord()));

    const before = streamalert(['--project', dir, 'run', '--input', input], { env });
    expect(before.status).toBe(2);
    expect(before.stderr).toContain(`the alerts table ${prefix}_streamalert_alerts does not exist in us-east-1; create it with 'streamalert store setup'`);

    const setup = streamalert(['--project', dir, 'store', 'setup'], { env });
    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`Created the DynamoDB table ${prefix}_streamalert_alerts.`);

    const run = streamalert(['--project', dir, 'run', '--input', input], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/file:audit\s+1 delivered/);
    const listed = JSON.parse(streamalert(['--project', dir, 'alerts', 'list', '--json'], { env }).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ rule_name: 'duo_fraud', deliveries: [{ output: 'file:audit', status: 'delivered', attempts: 1 }] });
  });
});
