import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delivered, failed, retry, type DispatchResult } from '../../src/outputs/result.ts';
import type { AlertStore, ClaimedDelivery, ClaimRequest } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');
const HOUR = 3_600_000;

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

function claim(store: AlertStore, now: number, request: Partial<ClaimRequest> = {}): Promise<ClaimedDelivery[]> {
  return store.claimDue({ now, limit: 10, leaseMs: 30_000, perOutput: 100, ...request });
}

/**
 * Claims `output` of `alertId` at `now` and records `result` for it; the claim must exist. The
 * lease is 0 ms, so the other deliveries claimed on the way stay due at `now`.
 */
async function attempt(store: AlertStore, alertId: string, output: string, result: DispatchResult, now: number, nextAttemptAt?: number): Promise<void> {
  const claimed = (await claim(store, now, { limit: 100, leaseMs: 0 })).find((c) => c.alert.id === alertId && c.output === output);
  if (!claimed) throw new Error(`${output} of ${alertId} is not due at ${now}`);
  expect(await store.record(claimed, { result, at: now, durationMs: 12, ...(nextAttemptAt !== undefined && { nextAttemptAt }) })).toBe(true);
}

describe.each(backends)('the %s alert store', (_name, openStore, skip) => {
  if (skip) return it.skip('needs moto_server');

  it('saves an alert with one pending delivery per output, and hands each out once per lease', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['slack:sec', 'aws-s3:audit', 'slack:sec'], created: new Date(T0) });
    await store.save([alert]);

    const claimed = await claim(store, T0);
    expect(claimed.map((c) => c.output).sort()).toEqual(['aws-s3:audit', 'slack:sec']);
    expect(claimed[0]).toMatchObject({ alert, attempts: 0, queuedAt: T0, leaseUntil: T0 + 30_000 });
    expect(await claim(store, T0 + 1_000)).toEqual([]);
    expect((await claim(store, T0 + 30_000)).length).toBe(2);
    store.close();
  });

  it('records results: delivered, pending again with its next attempt, dead-lettered', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1', 'b:1', 'c:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', delivered('ref-1'), T0);
    await attempt(store, alert.id, 'b:1', retry('server_error', 'HTTP 503'), T0, T0 + 35_000);
    await attempt(store, alert.id, 'c:1', failed('auth', 'HTTP 403'), T0);

    const [stored] = await store.list();
    expect(stored!.deliveries).toEqual([
      { alertId: alert.id, output: 'a:1', status: 'delivered', attempts: 1, nextAttemptAt: 0, queuedAt: T0, lastResult: 'delivered (ref-1)' },
      { alertId: alert.id, output: 'b:1', status: 'pending', attempts: 1, nextAttemptAt: T0 + 35_000, queuedAt: T0, lastResult: 'retry server_error: HTTP 503' },
      { alertId: alert.id, output: 'c:1', status: 'failed', attempts: 1, nextAttemptAt: 0, queuedAt: T0, lastResult: 'failed auth: HTTP 403' },
    ]);
    expect(await store.pendingByOutput()).toEqual({ 'b:1': 1 });
    expect(await store.backlog()).toEqual({ 'b:1': { pending: 1, failed: 0, oldestPendingAt: T0 }, 'c:1': { pending: 0, failed: 1 } });
    expect(await store.nextDueAt()).toBe(T0 + 35_000);
    expect((await store.list({ status: 'failed' })).map((s) => s.alert.id)).toEqual([alert.id]);
    store.close();
  });

  it("gives a delivered delivery's reference (for a reply in its thread), and none for one not delivered or unknown", async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['slack-bot:sec', 'b:1', 'c:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'slack-bot:sec', delivered('C0123ABCD/1712345678.123456 (a) b'), T0);
    await attempt(store, alert.id, 'b:1', retry('server_error', 'HTTP 503'), T0, T0 + 35_000);
    await attempt(store, alert.id, 'c:1', delivered(), T0);

    expect(await store.deliveredReference(alert.id, 'slack-bot:sec')).toBe('C0123ABCD/1712345678.123456 (a) b');
    expect(await store.deliveredReference(alert.id, 'b:1')).toBeUndefined();
    expect(await store.deliveredReference(alert.id, 'c:1')).toBeUndefined();
    expect(await store.deliveredReference(alert.id, 'slack-bot:other')).toBeUndefined();
    expect(await store.deliveredReference('no-such-alert', 'slack-bot:sec')).toBeUndefined();
    store.close();
  });

  it('keeps every attempt in the history, across a replay', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'a:1', retry('timeout', 'no answer'), T0, T0 + 1);
    await attempt(store, alert.id, 'a:1', failed('auth', 'HTTP 401'), T0 + 1);
    expect(await store.requeue({ failed: true }, T0 + HOUR)).toBe(1);
    await attempt(store, alert.id, 'a:1', delivered(), T0 + HOUR);

    const detail = await store.get(alert.id);
    expect(detail?.alert).toEqual(alert);
    expect(detail?.deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1, queuedAt: T0 + HOUR })]);
    expect(detail?.history).toEqual([
      { output: 'a:1', at: T0, durationMs: 12, result: 'retry timeout: no answer' },
      { output: 'a:1', at: T0 + 1, durationMs: 12, result: 'failed auth: HTTP 401' },
      { output: 'a:1', at: T0 + HOUR, durationMs: 12, result: 'delivered' },
    ]);
    expect(await store.get('no-such-alert')).toBeUndefined();
    store.close();
  });

  it('fences results by the lease: a holder whose lease ran out records nothing', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['slow:1'], created: new Date(T0) });
    await store.save([alert]);
    const [stale] = await claim(store, T0);
    const [current] = await claim(store, T0 + 30_000); // the first lease ended: claimed again
    expect(await store.record(stale!, { result: delivered(), at: T0, durationMs: 40_000 })).toBe(false);
    expect((await store.get(alert.id))?.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await store.record(current!, { result: delivered(), at: T0 + 30_000, durationMs: 5 })).toBe(true);
    expect((await store.get(alert.id))?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect((await store.get(alert.id))?.history).toHaveLength(1);
    store.close();
  });

  it('claims at most perOutput per output, counting those in flight, so others still get slots', async () => {
    const { store } = await openStore();
    const slow = Array.from({ length: 6 }, (_, i) => sampleAlert({ outputs: ['slow:1'], created: new Date(T0 + i) }));
    const fast = sampleAlert({ outputs: ['fast:1'], created: new Date(T0 + 10) });
    await store.save([...slow, fast]);

    const first = await claim(store, T0 + 100, { perOutput: 2 });
    expect(first.map((c) => c.output).sort()).toEqual(['fast:1', 'slow:1', 'slow:1']);
    const busy = await claim(store, T0 + 100, { perOutput: 2, inFlight: new Map([['slow:1', 2]]) });
    expect(busy).toEqual([]);
    const next = await claim(store, T0 + 100, { perOutput: 2, inFlight: new Map([['slow:1', 1]]) });
    expect(next.map((c) => c.output)).toEqual(['slow:1']);
    store.close();
  });

  it('records results that arrive together each against its own claim: a lost lease among them records nothing, the others are all kept', async () => {
    const { store } = await openStore();
    const alerts = Array.from({ length: 5 }, (_, i) => sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0 + i) }));
    await store.save(alerts);
    const claimed = await claim(store, T0 + 10, { limit: 100 });
    expect(claimed).toHaveLength(10);
    // Once the leases end, another worker claims one b:1 again: its first holder's result is stale.
    const [current] = await claim(store, T0 + 30_010, { limit: 1, inFlight: new Map([['a:1', 100]]) });
    expect(current?.output).toBe('b:1');
    const stale = claimed.find((c) => c.alert.id === current!.alert.id && c.output === 'b:1')!;

    const results = await Promise.all(
      claimed.map((c) => store.record(c, { result: c.output === 'a:1' ? delivered('ts-1') : failed('auth', 'denied'), at: T0 + 20, durationMs: 3 })),
    );
    expect(results).toEqual(claimed.map((c) => c !== stale));
    for (const alert of alerts) {
      const detail = (await store.get(alert.id))!;
      const stillPending = alert.id === stale.alert.id;
      expect(detail.deliveries.map((d) => [d.output, d.status])).toEqual([
        ['a:1', 'delivered'],
        ['b:1', stillPending ? 'pending' : 'failed'],
      ]);
      expect(detail.history).toHaveLength(stillPending ? 1 : 2);
    }
    store.close();
  });

  it('takes a claim made while results wait to be recorded: each result kept, the claim given only what is still due', async () => {
    const { store } = await openStore();
    const alerts = Array.from({ length: 6 }, (_, i) => sampleAlert({ outputs: ['a:1'], created: new Date(T0 + i) }));
    await store.save(alerts);
    const first = await claim(store, T0 + 10, { limit: 3 });
    const retried = { result: retry('timeout', 'slow'), at: T0 + 20, durationMs: 3, nextAttemptAt: T0 + HOUR };
    const recorded = first.map((c, i) => store.record(c, i === 0 ? retried : { result: delivered(), at: T0 + 20, durationMs: 3 }));
    // Asked in the same turn, before the results are recorded (as the delivery engine asks for their successors).
    const next = claim(store, T0 + 30, { limit: 10 });
    expect(await Promise.all(recorded)).toEqual([true, true, true]);
    expect((await next).map((c) => c.alert.id).sort()).toEqual(alerts.slice(3).map((a) => a.id).sort());
    expect(await claim(store, T0 + 40)).toEqual([]);
    expect((await store.get(alerts[0]!.id))?.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + HOUR });
    for (const alert of alerts.slice(1, 3)) expect((await store.get(alert.id))?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    store.close();
  });

  it('claims for the outputs with room however many deliveries of a busy output are due, earliest first, up to the limit', async () => {
    const { store } = await openStore();
    const busy = Array.from({ length: 30 }, (_, i) => sampleAlert({ outputs: ['busy:1'], created: new Date(T0 + i) }));
    const others = ['x:1', 'y:1', 'z:1'].map((output, i) => sampleAlert({ outputs: [output], created: new Date(T0 + 100 + i) }));
    await store.save([...busy, ...others]);

    const claimed = await claim(store, T0 + 1_000, { limit: 2, perOutput: 4, inFlight: new Map([['busy:1', 4]]) });
    expect(claimed.map((c) => c.output)).toEqual(['x:1', 'y:1']);
    const rest = await claim(store, T0 + 1_000, { limit: 10, perOutput: 4, inFlight: new Map([['busy:1', 1]]) });
    expect(rest.map((c) => c.output).sort()).toEqual(['busy:1', 'busy:1', 'busy:1', 'z:1']);
    expect(rest.filter((c) => c.output === 'busy:1').map((c) => c.alert.id).sort()).toEqual(busy.slice(0, 3).map((a) => a.id).sort());
    store.close();
  });

  it('adds a fallback delivery once, due now, with its own budget', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([alert]);
    expect(await store.addDeliveries(alert.id, ['b:1', 'a:1'], T0 + HOUR)).toEqual(['b:1']);
    expect(await store.addDeliveries(alert.id, ['b:1'], T0 + 2 * HOUR)).toEqual([]);
    const claimed = await claim(store, T0 + HOUR);
    expect(claimed.map((c) => [c.output, c.queuedAt]).sort()).toEqual([
      ['a:1', T0],
      ['b:1', T0 + HOUR],
    ]);
    store.close();
  });

  it('keeps everything across a reopen, as after a crash', async () => {
    const { dir, store } = await openStore();
    const alerts = [sampleAlert({ created: new Date(T0) }), sampleAlert({ created: new Date(T0 + 1) })];
    await store.save(alerts);
    await claim(store, T0, { limit: 1, leaseMs: 60_000 }); // claimed, then the process "dies" mid-attempt
    store.close();

    const reopened = (await openStore(dir)).store;
    expect((await reopened.list()).map((s) => s.alert.id).sort()).toEqual(alerts.map((a) => a.id).sort());
    expect((await claim(reopened, T0 + 1, { leaseMs: 60_000 })).length).toBe(1); // the unclaimed one
    expect((await claim(reopened, T0 + 60_001, { leaseMs: 60_000 })).length).toBe(2); // both again, once their leases end
    reopened.close();
  });

  it('saving the same alert twice changes nothing', async () => {
    const { store } = await openStore();
    const alert = sampleAlert({ created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, alert.outputs[0]!, delivered(), T0);
    await store.save([alert]);
    expect((await store.list())[0]!.deliveries.map((d) => d.status)).toEqual(['delivered']);
    store.close();
  });

  it('requeues pending deliveries now, and dead letters only when asked, with a fresh budget', async () => {
    const { store } = await openStore();
    const first = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    const second = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([first, second]);
    await attempt(store, first.id, 'a:1', failed('auth', 'denied'), T0);
    await attempt(store, first.id, 'b:1', retry('timeout', 'slow'), T0, T0 + HOUR);
    await attempt(store, second.id, 'a:1', failed('auth', 'denied'), T0);

    expect(await store.requeue({}, T0 + 1)).toBe(1);
    expect(await store.nextDueAt()).toBe(T0 + 1);
    expect(await store.requeue({ alertId: first.id }, T0 + 2)).toBe(2);
    expect((await store.list({ status: 'failed' })).map((s) => s.alert.id)).toEqual([second.id]);
    expect(await store.requeue({ failed: true }, T0 + 3)).toBe(3);
    expect(await store.list({ status: 'failed' })).toEqual([]);
    const claimed = await claim(store, T0 + 3);
    expect(claimed.map((c) => [c.alert.id === first.id ? 'first' : 'second', c.output, c.attempts, c.queuedAt]).sort()).toEqual([
      ['first', 'a:1', 0, T0 + 2],
      ['first', 'b:1', 0, T0 + 2],
      ['second', 'a:1', 0, T0 + 3],
    ]);
    store.close();
  });

  it('discards dead letters by alert or by output, for good', async () => {
    const { store } = await openStore();
    const first = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    const second = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0 + 1) });
    await store.save([first, second]);
    for (const alert of [first, second]) for (const output of ['a:1', 'b:1']) await attempt(store, alert.id, output, failed('auth', 'denied'), T0 + 2);

    expect(await store.discard({ output: 'a:1' })).toBe(2);
    expect(await store.discard({ alertId: first.id })).toBe(1);
    expect(await store.discard({ alertId: first.id })).toBe(0);
    expect(await store.backlog()).toEqual({ 'b:1': { pending: 0, failed: 1 } });
    expect(await store.requeue({ failed: true }, T0 + 3)).toBe(1);
    expect((await store.list({ status: 'discarded' })).length).toBe(2);
    store.close();
  });

  it('lists by rule, output, status and time, newest first', async () => {
    const { store } = await openStore();
    const old = sampleAlert({ ruleName: 'duo_fraud', outputs: ['a:1'], created: new Date(T0) });
    const recent = sampleAlert({ ruleName: 'duo_fraud', outputs: ['b:1'], created: new Date(T0 + HOUR) });
    const other = sampleAlert({ ruleName: 'root_login', outputs: ['a:1'], created: new Date(T0 + 2 * HOUR) });
    await store.save([old, recent, other]);
    await attempt(store, other.id, 'a:1', delivered(), T0 + 2 * HOUR);

    const ids = async (filter: Parameters<AlertStore['list']>[0]) => (await store.list(filter)).map((s) => s.alert.id);
    expect(await ids({})).toEqual([other.id, recent.id, old.id]);
    expect(await ids({ rule: 'duo_fraud' })).toEqual([recent.id, old.id]);
    expect(await ids({ output: 'a:1' })).toEqual([other.id, old.id]);
    expect(await ids({ since: T0 + HOUR })).toEqual([other.id, recent.id]);
    expect(await ids({ output: 'a:1', status: 'pending' })).toEqual([old.id]);
    expect(await ids({ rule: 'duo_fraud', limit: 1 })).toEqual([recent.id]);
    store.close();
  });

  it('prunes old alerts whose deliveries are all finished, and keeps the rest', async () => {
    const { store } = await openStore();
    const done = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    const dead = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    const waiting = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    const young = sampleAlert({ outputs: ['a:1'], created: new Date(T0 + 10 * HOUR) });
    await store.save([done, dead, waiting, young]);
    await attempt(store, done.id, 'a:1', delivered(), T0);
    await attempt(store, done.id, 'b:1', failed('auth', 'denied'), T0);
    await store.discard({ alertId: done.id });
    await attempt(store, dead.id, 'a:1', failed('auth', 'denied'), T0);
    await attempt(store, young.id, 'a:1', delivered(), T0 + 10 * HOUR);

    expect(await store.prune(T0 + 5 * HOUR)).toBe(1);
    expect(await store.get(done.id)).toBeUndefined();
    expect((await store.list()).map((s) => s.alert.id).sort()).toEqual([dead.id, waiting.id, young.id].sort());
    store.close();
  });
});

describe('the SQLite alert store file', () => {
  it('is readable by its owner only', () => {
    const dir = tempDir();
    const store = new SqliteAlertStore(join(dir, 'alerts.db'));
    store.close();
    expect(statSync(join(dir, 'alerts.db')).mode & 0o777).toBe(0o600);
  });

  it('records the results waiting for a commit before the claim made meanwhile: a retry due by then is claimed again in that commit', async () => {
    const store = new SqliteAlertStore(join(tempDir(), 'alerts.db'));
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([alert]);
    const [first] = await claim(store, T0);
    const recorded = store.record(first!, { result: retry('timeout', 'slow'), at: T0, durationMs: 3, nextAttemptAt: T0 + 5 });
    const next = claim(store, T0 + 10);
    expect(await recorded).toBe(true);
    expect(await next).toEqual([expect.objectContaining({ output: 'a:1', attempts: 1, leaseUntil: T0 + 10 + 30_000 })]);
    store.close();
  });

  it('a claim that finds due deliveries while another process holds the write lock waits its turn, then takes them', async () => {
    const path = join(tempDir(), 'alerts.db');
    const store = new SqliteAlertStore(path);
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    await store.save([alert]);
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE; UPDATE deliveries SET attempts = attempts WHERE output = 'none'");
    // Its first try (without the lock) sees the delivery and fails to lease it at once; it tries again.
    const claiming = claim(store, T0);
    other.exec('COMMIT');
    other.close();
    expect((await claiming).map((c) => c.alert.id)).toEqual([alert.id]);
    expect(await claim(store, T0)).toEqual([]);
    store.close();
  });

  it('a commit of results that fails records none of them and leases nothing for the claim that rode on it', async () => {
    const path = join(tempDir(), 'alerts.db');
    const store = new SqliteAlertStore(path, { lockWaitMs: 200 });
    const alerts = Array.from({ length: 3 }, (_, i) => sampleAlert({ outputs: ['a:1'], created: new Date(T0 + i) }));
    await store.save(alerts);
    const [first] = await claim(store, T0 + 10, { limit: 1 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock past the store's wait
    const recorded = store.record(first!, { result: delivered(), at: T0 + 10, durationMs: 3 });
    const next = claim(store, T0 + 10);
    await expect(recorded).rejects.toThrow(/database is locked \(SQLITE_BUSY\)/);
    expect(await next).toEqual([]);
    other.exec('ROLLBACK');
    other.close();
    // Nothing was leased: the two others are still due, and the first comes back when its lease ends.
    expect((await claim(store, T0 + 20)).map((c) => c.alert.id)).toEqual(alerts.slice(1).map((a) => a.id));
    expect((await claim(store, T0 + 10 + 30_000, { limit: 1 })).map((c) => c.alert.id)).toEqual([alerts[0]!.id]);
    store.close();
  });

  it('upgrades a version 2 database (no index of due deliveries by output) in place', async () => {
    const path = join(tempDir(), 'alerts.db');
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    const before = new SqliteAlertStore(path);
    await before.save([alert]);
    before.close();
    const v2 = new Database(path);
    v2.exec('DROP INDEX deliveries_output_due; PRAGMA user_version = 2;');
    v2.close();

    const store = new SqliteAlertStore(path);
    expect((await claim(store, T0)).map((c) => c.alert.id)).toEqual([alert.id]);
    store.close();
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE name = 'deliveries_output_due'").all()).toHaveLength(1);
    upgraded.close();
  });

  it('upgrades a version 3 database (an index of due deliveries alone) in place, dropping that index', async () => {
    const path = join(tempDir(), 'alerts.db');
    const alert = sampleAlert({ outputs: ['a:1'], created: new Date(T0) });
    const before = new SqliteAlertStore(path);
    await before.save([alert]);
    before.close();
    const v3 = new Database(path);
    v3.exec('CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at); PRAGMA user_version = 3;');
    v3.close();

    const store = new SqliteAlertStore(path);
    expect(await store.nextDueAt()).toBe(T0);
    expect((await claim(store, T0)).map((c) => c.alert.id)).toEqual([alert.id]);
    store.close();
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' ORDER BY name").pluck().all()).toEqual([
      'deliveries_output_due',
      'sqlite_autoindex_deliveries_1',
    ]);
    upgraded.close();
  });

  it('upgrades a first-release database in place, keeping its alerts and deliveries', async () => {
    const dir = tempDir();
    const path = join(dir, 'alerts.db');
    const alert = sampleAlert({ outputs: ['a:1', 'b:1'], created: new Date(T0) });
    const v1 = new Database(path);
    v1.exec(`
      CREATE TABLE alerts (id TEXT PRIMARY KEY, rule_name TEXT NOT NULL, created TEXT NOT NULL, alert TEXT NOT NULL);
      CREATE INDEX alerts_created ON alerts (created);
      CREATE TABLE deliveries (alert_id TEXT NOT NULL REFERENCES alerts (id), output TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')), attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL, last_result TEXT, PRIMARY KEY (alert_id, output));
      CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
      PRAGMA user_version = 1;`);
    v1.prepare('INSERT INTO alerts VALUES (?, ?, ?, ?)').run(alert.id, alert.ruleName, alert.created.toISOString(), JSON.stringify({ ...alert, created: alert.created.toISOString() }));
    v1.prepare("INSERT INTO deliveries VALUES (?, 'a:1', 'failed', 5, 0, 'failed auth: denied')").run(alert.id);
    v1.prepare("INSERT INTO deliveries VALUES (?, 'b:1', 'pending', 2, ?, 'retry timeout: slow')").run(alert.id, T0);
    v1.close();

    const store = new SqliteAlertStore(path);
    const [stored] = await store.list();
    expect(stored!.deliveries.map((d) => [d.output, d.status, d.attempts, d.lastResult])).toEqual([
      ['a:1', 'failed', 5, 'failed auth: denied'],
      ['b:1', 'pending', 2, 'retry timeout: slow'],
    ]);
    expect(await store.discard({ alertId: alert.id })).toBe(1);
    expect((await claim(store, T0)).map((c) => c.output)).toEqual(['b:1']);
    store.close();
  });
});
