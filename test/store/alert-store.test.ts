import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delivered, failed, retry } from '../../src/outputs/result.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');

/** Opens a store at `where` (a new place when not given), as a process would after a restart. */
type Opener = (where?: string) => Promise<{ dir: string; store: AlertStore }>;

const sqlite: Opener = async (dir = tempDir()) => ({ dir, store: new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db')) });

const dynamodb: Opener = async (table = uniqueName('alerts')) => {
  const store = new DynamoDbAlertStore(table, 'us-east-1');
  await store.ensureTable();
  return { dir: table, store };
};

const backends: [string, Opener, boolean][] = [
  ['SQLite', sqlite, false],
  ['DynamoDB (moto)', dynamodb, noMoto],
];

describe.each(backends)('the %s alert store', (_name, openStore, skip) => {
  if (skip) return it.skip('needs moto_server');

  it('saves an alert with one pending delivery per output, and hands each out once per lease', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['slack:sec', 'aws-s3:audit', 'slack:sec'], created: new Date(T0) });
    await store.save([alert]);

    const claimed = await store.claimDue(T0, 10, 30_000);
    expect(claimed.map((c) => c.output).sort()).toEqual(['aws-s3:audit', 'slack:sec']);
    expect(claimed[0]!.alert).toEqual(alert);
    expect(claimed[0]!.attempts).toBe(0);
    expect(await store.claimDue(T0 + 1_000, 10, 30_000)).toEqual([]);
    expect((await store.claimDue(T0 + 30_000, 10, 30_000)).length).toBe(2);
    store.close();
  });

  it('records results: delivered, pending again with its next attempt, dead-lettered', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1', 'b:1', 'c:1'], created: new Date(T0) });
    await store.save([alert]);
    await store.record(alert.id, 'a:1', delivered('ref-1'), 1);
    await store.record(alert.id, 'b:1', retry('server_error', 'HTTP 503'), 1, T0 + 5_000);
    await store.record(alert.id, 'c:1', failed('auth', 'HTTP 403'), 1);

    const [stored] = await store.list();
    expect(stored!.deliveries).toEqual([
      { alertId: alert.id, output: 'a:1', status: 'delivered', attempts: 1, nextAttemptAt: 0, lastResult: 'delivered (ref-1)' },
      { alertId: alert.id, output: 'b:1', status: 'pending', attempts: 1, nextAttemptAt: T0 + 5_000, lastResult: 'retry server_error: HTTP 503' },
      { alertId: alert.id, output: 'c:1', status: 'failed', attempts: 1, nextAttemptAt: 0, lastResult: 'failed auth: HTTP 403' },
    ]);
    expect(await store.pendingByOutput()).toEqual({ 'b:1': 1 });
    expect(await store.nextDueAt()).toBe(T0 + 5_000);
    expect((await store.list({ status: 'failed' })).map((s) => s.alert.id)).toEqual([alert.id]);
    store.close();
  });

  it('keeps everything across a reopen, as after a crash', async () => {
    const { dir, store } = await openStore();
    const alerts = [sampleAlert({ created: new Date(T0) }), sampleAlert({ created: new Date(T0 + 1) })];
    await store.save(alerts);
    await store.claimDue(T0, 1, 60_000); // claimed, then the process "dies" mid-attempt
    store.close();

    const reopened = (await openStore(dir)).store;
    expect((await reopened.list()).map((s) => s.alert.id).sort()).toEqual(alerts.map((a) => a.id).sort());
    expect((await reopened.claimDue(T0 + 1, 10, 60_000)).length).toBe(1); // the unclaimed one
    expect((await reopened.claimDue(T0 + 60_001, 10, 60_000)).length).toBe(2); // both again, once their leases end
    reopened.close();
  });

  it('saving the same alert twice changes nothing', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ created: new Date(T0) });
    await store.save([alert]);
    await store.record(alert.id, alert.outputs[0]!, delivered(), 1);
    await store.save([alert]);
    expect((await store.list())[0]!.deliveries.map((d) => d.status)).toEqual(['delivered']);
    store.close();
  });

  it('requeues pending deliveries now, and dead letters only when asked', async () => {
    const { store } = await openStore();
    const first = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    const second = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([first, second]);
    await store.record(first.id, 'a:1', failed('auth', 'denied'), 1);
    await store.record(first.id, 'b:1', retry('timeout', 'slow'), 2, T0 + 3_600_000);
    await store.record(second.id, 'a:1', failed('auth', 'denied'), 1);

    expect(await store.requeue({}, T0)).toBe(1);
    expect(await store.nextDueAt()).toBe(T0);
    expect(await store.requeue({ alertId: first.id }, T0)).toBe(2);
    expect((await store.list({ status: 'failed' })).map((s) => s.alert.id)).toEqual([second.id]);
    expect(await store.requeue({ failed: true }, T0)).toBe(3);
    expect(await store.list({ status: 'failed' })).toEqual([]);
    const claimed = await store.claimDue(T0, 10, 1_000);
    expect(claimed.map((c) => [c.alert.id === first.id ? 'first' : 'second', c.output, c.attempts]).sort()).toEqual([
      ['first', 'a:1', 0],
      ['first', 'b:1', 0],
      ['second', 'a:1', 0],
    ]);
    store.close();
  });
});
