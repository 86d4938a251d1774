import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { newSilence } from '../../src/noise/new-silence.ts';
import { noiseSettingsFor, type RuleNoise } from '../../src/noise/rule-settings.ts';
import { suppressionOf, updateOf } from '../../src/noise/settings.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const T0 = Date.parse('2026-11-28T08:00:00Z');
const MINUTE = 60_000;

/** Opens the store at `where` (a new place when not given): a second process, when given the first's place. */
type Opener = (where?: string) => Promise<{ where: string; store: AlertStore }>;

const sqlite: Opener = async (dir = tempDir()) => ({ where: dir, store: new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db')) });

const dynamodb: Opener = async (table = uniqueName('noise')) => {
  const store = new DynamoDbAlertStore(table, 'us-east-1');
  await store.ensureTable();
  return { where: table, store };
};

const backends: [string, Opener, boolean][] = [
  ['SQLite', sqlite, false],
  ['DynamoDB (moto)', dynamodb, noMoto],
];

/** An alert of `rule` (with these noise options) for the record's user, raised at T0 + atMs. */
function raised(rule: string, noise: RuleNoise, user: string, atMs: number, fields: Partial<Alert> = {}): Alert {
  const record = { user, n: atMs };
  return sampleAlert({ ruleName: rule, record, outputs: ['slack:sec'], created: new Date(T0 + atMs), noise: noiseSettingsFor(rule, noise, noise.dedup ? user : undefined), ...fields } as Partial<Alert>);
}

const DEDUP_BY_USER: RuleNoise = { dedup: () => '', window: { periodMs: 10 * MINUTE, threshold: 1 } };

async function deliveriesOf(store: AlertStore, id: string): Promise<string[]> {
  return ((await store.get(id))?.deliveries ?? []).map((d) => `${d.output} ${d.status}`);
}

describe.each(backends)('noise control in the %s alert store', (_name, openStore, skip) => {
  if (skip) return it.skip('needs moto_server');

  it('100 alerts of one dedup key in a period: the first is sent, 99 are stored deduplicated onto it, and the close makes one update saying 99 more', async () => {
    const { store } = await openStore();
    const alerts = Array.from({ length: 100 }, (_, i) => raised('duo_fraud', DEDUP_BY_USER, 'alice', i * 1_000));
    await store.save(alerts);
    await store.save([raised('duo_fraud', DEDUP_BY_USER, 'bob', 500)]);

    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 2 });
    expect(await deliveriesOf(store, alerts[0]!.id)).toEqual(['slack:sec pending']);
    const later = await store.get(alerts[57]!.id);
    expect(later!.deliveries).toEqual([]);
    expect(suppressionOf(later!.alert)).toMatchObject({ reason: 'deduplicated', onto: alerts[0]!.id });
    expect((await store.list({ status: 'deduplicated', limit: 1_000 })).length).toBe(99);

    expect(await store.closeDueDedups(T0 + 10 * MINUTE - 1)).toEqual([]);
    const updates = await store.closeDueDedups(T0 + 11 * MINUTE);
    // bob's window sent its one alert and nothing came after: no update for it.
    expect(updates).toHaveLength(1);
    expect(updates[0]!.record).toMatchObject({ message: '99 more alerts of duo_fraud for alice in the last 10 minutes', MoreAlerts: 99, AlertCount: 100, AlertTimeFirst: '2026-11-28T08:00:00.000000Z', AlertTimeLast: '2026-11-28T08:01:39.000000Z' });
    expect(updateOf(updates[0]!)).toBe(alerts[0]!.id);
    expect(await deliveriesOf(store, updates[0]!.id)).toEqual(['slack:sec pending']);
    // Closed once.
    expect(await store.closeDueDedups(T0 + 60 * MINUTE)).toEqual([]);
    store.close();
  });

  it('threshold 5 with 4 alerts sends nothing and stores 4 below threshold; the 5th is sent and the 6th deduplicated onto it', async () => {
    const { store } = await openStore();
    const rule: RuleNoise = { window: { periodMs: 10 * MINUTE, threshold: 5 } };
    const alerts = Array.from({ length: 6 }, (_, i) => raised('brute_force', rule, 'alice', i * 1_000));
    await store.save(alerts.slice(0, 4));
    expect(await store.pendingByOutput()).toEqual({});
    const below = await store.list({ status: 'below_threshold' });
    expect(below.map(({ alert }) => alert.id).sort()).toEqual(alerts.slice(0, 4).map((a) => a.id).sort());
    expect(below.every(({ deliveries }) => deliveries.length === 0)).toBe(true);

    await store.save(alerts.slice(4));
    expect(await deliveriesOf(store, alerts[4]!.id)).toEqual(['slack:sec pending']);
    expect(suppressionOf((await store.get(alerts[5]!.id))!.alert)).toMatchObject({ reason: 'deduplicated', onto: alerts[4]!.id });
    const [update] = await store.closeDueDedups(T0 + 11 * MINUTE);
    expect(update!.record.MoreAlerts).toBe(1);
    store.close();
  });

  it('a window that never reached its threshold closes with nothing sent', async () => {
    const { store } = await openStore();
    const rule: RuleNoise = { window: { periodMs: MINUTE, threshold: 5 } };
    await store.save([raised('brute_force', rule, 'alice', 0), raised('brute_force', rule, 'alice', 1)]);
    expect(await store.closeDueDedups(T0 + 2 * MINUTE)).toEqual([]);
    expect(await store.pendingByOutput()).toEqual({});
    // The next alert after the window opens a window of its own.
    await store.save([raised('brute_force', rule, 'alice', 3 * MINUTE)]);
    expect((await store.list({ status: 'below_threshold' })).length).toBe(3);
    store.close();
  });

  it('saving an alert again changes nothing, not even its window count', async () => {
    const { store } = await openStore();
    const rule: RuleNoise = { window: { periodMs: MINUTE, threshold: 2 } };
    const first = raised('brute_force', rule, 'alice', 0);
    await store.save([first]);
    await store.save([first]);
    expect(await store.pendingByOutput()).toEqual({});
    store.close();
  });

  it('two processes counting one key: exactly one alert of the window is sent', async () => {
    const { where, store: one } = await openStore();
    const { store: two } = await openStore(where);
    const alerts = Array.from({ length: 20 }, (_, i) => raised('duo_fraud', DEDUP_BY_USER, 'alice', i));
    await Promise.all([one.save(alerts.filter((_, i) => i % 2 === 0)), two.save(alerts.filter((_, i) => i % 2 === 1))]);
    expect(await one.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    const [update] = await one.closeDueDedups(T0 + 11 * MINUTE);
    expect(update!.record.MoreAlerts).toBe(19);
    one.close();
    two.close();
  });

  it('a silence added in one process silences the next alert another saves, and ends on time', async () => {
    const { where, store: one } = await openStore();
    const { store: two } = await openStore(where);
    const silence = newSilence({ matchers: ['rule_name=duo_fraud', 'record.user=~al.*'], for: '10m', comment: 'pen test', starts: new Date(T0).toISOString() }, 'alice', T0);
    await one.addSilence(silence);

    const during = sampleAlert({ ruleName: 'duo_fraud', record: { user: 'alice' }, created: new Date(T0 + MINUTE) });
    const otherUser = sampleAlert({ ruleName: 'duo_fraud', record: { user: 'xalice' }, created: new Date(T0 + MINUTE) });
    const after = sampleAlert({ ruleName: 'duo_fraud', record: { user: 'alice' }, created: new Date(T0 + 10 * MINUTE) });
    await two.save([during, otherUser, after]);
    expect(suppressionOf((await two.get(during.id))!.alert)).toEqual({ reason: 'silenced', silenceId: silence.id });
    expect(await deliveriesOf(two, during.id)).toEqual([]);
    // Fully anchored: al.* does not match xalice.
    expect(await deliveriesOf(two, otherUser.id)).toEqual(['slack:sec-alerts pending']);
    expect(await deliveriesOf(two, after.id)).toEqual(['slack:sec-alerts pending']);
    expect((await two.list({ status: 'silenced' })).map(({ alert }) => alert.id)).toEqual([during.id]);
    expect((await two.list({ status: 'suppressed' })).map(({ alert }) => alert.id)).toEqual([during.id]);

    const expired = await two.expireSilence(silence.id, T0 + 2 * MINUTE);
    expect(expired).toMatchObject({ id: silence.id, endsAt: T0 + 2 * MINUTE });
    expect((await one.silences()).map((s) => s.endsAt)).toEqual([T0 + 2 * MINUTE]);
    // Expiring again keeps the first end; an unknown id is undefined.
    expect((await one.expireSilence(silence.id, T0 + 5 * MINUTE))!.endsAt).toBe(T0 + 2 * MINUTE);
    expect(await one.expireSilence('no-such-silence', T0)).toBeUndefined();
    one.close();
    two.close();
  });

  it("inhibition: while the inhibiting rule fired for a key, the other rule's alert for that key is stored inhibited; another key's is sent", async () => {
    const { store } = await openStore();
    const inhibitor: RuleNoise = { dedup: () => '', inhibits: { rules: ['duo_push_denied'], windowMs: 10 * MINUTE } };
    const inhibited: RuleNoise = { dedup: () => '', inhibited: true };
    const fraud = raised('duo_fraud', inhibitor, 'alice', 0);
    const sameKey = raised('duo_push_denied', inhibited, 'alice', MINUTE);
    const otherKey = raised('duo_push_denied', inhibited, 'bob', MINUTE);
    const afterWindow = raised('duo_push_denied', inhibited, 'alice', 11 * MINUTE);
    await store.save([fraud]);
    await store.save([sameKey, otherKey, afterWindow]);
    expect(await deliveriesOf(store, fraud.id)).toEqual(['slack:sec pending']);
    expect(suppressionOf((await store.get(sameKey.id))!.alert)).toEqual({ reason: 'inhibited', byRule: 'duo_fraud' });
    expect(await deliveriesOf(store, sameKey.id)).toEqual([]);
    expect(await deliveriesOf(store, otherKey.id)).toEqual(['slack:sec pending']);
    expect(await deliveriesOf(store, afterWindow.id)).toEqual(['slack:sec pending']);
    expect((await store.list({ status: 'inhibited' })).map(({ alert }) => alert.id)).toEqual([sameKey.id]);
    store.close();
  });

  it('an inhibiting rule without a dedup function holds back every alert of the rules it names', async () => {
    const { store } = await openStore();
    const fraud = raised('duo_fraud', { inhibits: { rules: ['duo_push_denied'], windowMs: 10 * MINUTE } }, 'alice', 0);
    const denied = raised('duo_push_denied', { dedup: () => '', inhibited: true }, 'bob', MINUTE);
    await store.save([fraud, denied]);
    expect(suppressionOf((await store.get(denied.id))!.alert)).toEqual({ reason: 'inhibited', byRule: 'duo_fraud' });
    store.close();
  });
});

describe('retention in the SQLite store', () => {
  it('prune forgets closed dedup windows, lapsed inhibitions and ended silences from before the cutoff, and keeps the rest', async () => {
    const dir = tempDir();
    const store = new SqliteAlertStore(join(dir, '.streamalert', 'alerts.db'));
    const rule = (inhibited: string): RuleNoise => ({ window: { periodMs: MINUTE, threshold: 1 }, inhibits: { rules: [inhibited], windowMs: MINUTE } });
    await store.save([raised('old', rule('first'), 'alice', 0), raised('open', rule('second'), 'alice', 60 * MINUTE)]);
    await store.closeDueDedups(T0 + 2 * MINUTE);
    await store.addSilence(newSilence({ matchers: ['a=b'], for: '1m', comment: 'old', starts: new Date(T0).toISOString() }, 'me', T0));
    await store.addSilence(newSilence({ matchers: ['a=b'], for: '2h', comment: 'current', starts: new Date(T0).toISOString() }, 'me', T0));
    await store.prune(T0 + 30 * MINUTE);
    store.close();
    const db = new Database(join(dir, '.streamalert', 'alerts.db'), { readonly: true });
    expect(db.prepare('SELECT rule_name FROM dedup_windows').pluck().all()).toEqual(['open']);
    expect(db.prepare('SELECT by_rule FROM inhibitions').pluck().all()).toEqual(['open']);
    expect(db.prepare('SELECT comment FROM silences').pluck().all()).toEqual(['current']);
    db.close();
  });
});

describe('the SQLite schema', () => {
  it('gains the noise tables and alerts.suppressed when a version 5 file is opened, its alerts kept', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.streamalert'));
    const path = join(dir, '.streamalert', 'alerts.db');
    new SqliteAlertStore(path).close();
    const v5 = new Database(path);
    v5.exec(`DROP INDEX alerts_suppressed; ALTER TABLE alerts DROP COLUMN suppressed; DROP TABLE silences; DROP TABLE dedup_windows; DROP TABLE inhibitions;
      INSERT INTO alerts VALUES ('a1', 'r', '2026-01-01T00:00:00.000Z', '{}'); PRAGMA user_version = 5;`);
    v5.close();

    new SqliteAlertStore(path).close();
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(6);
    expect(SCHEMA_VERSION).toBe(6);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('silences', 'dedup_windows', 'inhibitions') ORDER BY name").pluck().all()).toEqual(['dedup_windows', 'inhibitions', 'silences']);
    expect(upgraded.prepare('SELECT id, suppressed FROM alerts').all()).toEqual([{ id: 'a1', suppressed: null }]);
    upgraded.close();
  });
});
