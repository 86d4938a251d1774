import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { buildMergedAlert } from '../../src/merge/merger.ts';
import { mergeSettingsFor, type RuleMergeOptions } from '../../src/merge/rule-settings.ts';
import { mergedIdsOf } from '../../src/merge/settings.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { MAX_ALERTS_PER_MERGE } from '../../src/store/merges.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');
const MINUTE = 60_000;
const RULE: RuleMergeOptions = { mergeByKeys: ['user'], mergeWindowMins: 10 };

/** Opens the store at `where` (a new place when not given): a second process, when given the first's place. */
type Opener = (where?: string) => Promise<{ where: string; store: AlertStore }>;

const sqlite: Opener = async (dir = tempDir()) => ({ where: dir, store: new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db')) });

const dynamodb: Opener = async (table = uniqueName('merges')) => {
  const store = new DynamoDbAlertStore(table, 'us-east-1');
  await store.ensureTable();
  return { where: table, store };
};

const backends: [string, Opener, boolean][] = [
  ['SQLite', sqlite, false],
  ['DynamoDB (moto)', dynamodb, noMoto],
];

/** An alert of a merging rule raised at T0 + `atMs` for `record`. */
function held(record: Record<string, unknown>, atMs: number, rule: RuleMergeOptions = RULE): Alert {
  return sampleAlert({ ruleName: 'duo_denials', record, outputs: ['slack:sec'], created: new Date(T0 + atMs), merge: mergeSettingsFor(rule, record) } as Partial<Alert>);
}

async function pendingOutputs(store: AlertStore, alertId: string): Promise<string[]> {
  return ((await store.get(alertId))?.deliveries ?? []).filter((d) => d.status === 'pending').map((d) => d.output);
}

describe.each(backends)('merge windows in the %s alert store', (_name, openStore, skip) => {
  if (skip) return it.skip('needs moto_server');

  it('holds 10 alerts of one window without sending any, and closes it into one merged alert carrying count 10', async () => {
    const { store } = await openStore();
    const alerts = Array.from({ length: 10 }, (_, i) => held({ user: 'alice', attempt: i, nested: { app: 'vpn', n: i } }, i * MINUTE));
    await store.save(alerts);

    expect(await store.pendingByOutput()).toEqual({});
    expect(await store.openMerges()).toEqual({ count: 1, nextClosesAt: T0 + 10 * MINUTE });
    expect(await store.closeDueMerges(T0 + 10 * MINUTE - 1, buildMergedAlert)).toEqual([]);

    const [merged, ...more] = await store.closeDueMerges(T0 + 10 * MINUTE, buildMergedAlert);
    expect(more).toEqual([]);
    expect(merged!.record).toMatchObject({ AlertCount: 10, AlertTimeFirst: '2026-11-28T08:00:00.000000Z', AlertTimeLast: '2026-11-28T08:09:00.000000Z', MergedBy: { user: 'alice' }, OtherCommonKeys: { nested: { app: 'vpn' } } });
    expect(mergedIdsOf(merged!)).toEqual(alerts.map((a) => a.id));
    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    expect(await pendingOutputs(store, merged!.id)).toEqual(['slack:sec']);
    expect(await store.openMerges()).toEqual({ count: 0 });

    const memberships = await store.mergeMemberships([...alerts.map((a) => a.id), merged!.id]);
    expect(memberships.size).toBe(10);
    expect(memberships.get(alerts[3]!.id)).toMatchObject({ mergedInto: merged!.id, closed: true, sentAlone: false, closesAt: T0 + 10 * MINUTE });
    // Closed once: a second look finds nothing.
    expect(await store.closeDueMerges(T0 + 60 * MINUTE, buildMergedAlert)).toEqual([]);
    store.close();
  });

  it('keeps keys apart: other values, a time past the window, and the 51st alert open windows of their own', async () => {
    const { store } = await openStore();
    const first = Array.from({ length: MAX_ALERTS_PER_MERGE + 1 }, (_, i) => held({ user: 'alice', i }, i));
    await store.save(first);
    await store.save([held({ user: 'bob' }, 5), held({ user: 'alice' }, 10 * MINUTE + 100)]);
    expect((await store.openMerges()).count).toBe(4);

    const merged = await store.closeDueMerges(T0 + 30 * MINUTE, buildMergedAlert);
    expect(merged.map((a) => [a.record.MergedBy, a.record.AlertCount]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [{ user: 'alice' }, 1],
      [{ user: 'alice' }, 1],
      [{ user: 'alice' }, 50],
      [{ user: 'bob' }, 1],
    ]);
    store.close();
  });

  it("merges the alerts whose records lack a merge key with each other, as StreamAlert's None equals None", async () => {
    const { store } = await openStore();
    await store.save([held({ other: 1 }, 0), held({ other: 2 }, 1_000), held({ user: 'alice' }, 2_000)]);
    const merged = await store.closeDueMerges(T0 + 11 * MINUTE, buildMergedAlert);
    const lacking = merged.find((a) => a.record.AlertCount === 2)!;
    expect(lacking.record).toMatchObject({ MergedBy: { user: '(n/a)' }, OtherCommonKeys: {}, ValueDiffs: { '2026-11-28T08:00:00.000000Z': { other: 1 }, '2026-11-28T08:00:01.000000Z': { other: 2 } } });
    expect(merged.length).toBe(2);
    store.close();
  });

  it('with mergeSendFirst sends the first alert at once and the summary at the end: 10 alerts, 2 deliveries', async () => {
    const { store } = await openStore();
    const rule = { ...RULE, mergeSendFirst: true };
    const alerts = Array.from({ length: 10 }, (_, i) => held({ user: 'alice', i }, i * 1_000, rule));
    await store.save(alerts);
    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    expect(await pendingOutputs(store, alerts[0]!.id)).toEqual(['slack:sec']);
    const [merged] = await store.closeDueMerges(T0 + 10 * MINUTE, buildMergedAlert);
    expect(merged!.record.AlertCount).toBe(10);
    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 2 });
    expect((await store.mergeMemberships([alerts[0]!.id])).get(alerts[0]!.id)).toMatchObject({ sentAlone: true, mergedInto: merged!.id });

    // A window that held only the alert already sent closes with nothing more to send.
    const lone = held({ user: 'carol' }, 0, rule);
    await store.save([lone]);
    expect(await store.closeDueMerges(T0 + 20 * MINUTE, buildMergedAlert)).toEqual([]);
    expect((await store.mergeMemberships([lone.id])).get(lone.id)).toMatchObject({ sentAlone: true, closed: true });
    expect(await store.openMerges()).toEqual({ count: 0 });
    store.close();
  });

  it('saving an alert again changes nothing', async () => {
    const { store } = await openStore();
    const alert = held({ user: 'alice' }, 0);
    await store.save([alert]);
    await store.save([alert]);
    const [merged] = await store.closeDueMerges(T0 + 10 * MINUTE, buildMergedAlert);
    expect(merged!.record.AlertCount).toBe(1);
    store.close();
  });

  it('closes a window once when two processes close it at the same time', async () => {
    const { where, store: one } = await openStore();
    const { store: two } = await openStore(where);
    await one.save(Array.from({ length: 10 }, (_, i) => held({ user: 'alice', i }, i)));
    const [a, b] = await Promise.all([one.closeDueMerges(T0 + 10 * MINUTE, buildMergedAlert), two.closeDueMerges(T0 + 10 * MINUTE, buildMergedAlert)]);
    expect(a.length + b.length).toBe(1);
    expect(await one.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    one.close();
    two.close();
  });

  it('puts alerts saved by two processes at once in one window', async () => {
    const { where, store: one } = await openStore();
    const { store: two } = await openStore(where);
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => one.save([held({ user: 'alice', i }, i)])),
      ...Array.from({ length: 5 }, (_, i) => two.save([held({ user: 'alice', i: i + 5 }, i + 5)])),
    ]);
    expect((await one.openMerges()).count).toBe(1);
    // The window opened with whichever alert won the race (raised up to 9 ms after T0): past its end.
    const [merged] = await one.closeDueMerges(T0 + 11 * MINUTE, buildMergedAlert);
    expect(merged!.record.AlertCount).toBe(10);
    one.close();
    two.close();
  });
});
