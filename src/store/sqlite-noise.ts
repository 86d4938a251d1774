import type Database from 'better-sqlite3';
import { timeOrderedUuid, type Alert } from '../alerts/alert.ts';
import { dedupUpdateAlert } from '../noise/dedup-update.ts';
import { ANY_KEY, noiseOf, type Suppression } from '../noise/settings.ts';
import { silenceFor, type Silence } from '../noise/silence.ts';
import { serializeAlert } from './serialize.ts';
import { INSERT_ALERT, INSERT_DELIVERY } from './sqlite-statements.ts';

/**
 * Schema 6 (src/noise): silences; dedup windows, counted, never loaded whole (a window has no
 * cap: 100 alerts of one key are one window); inhibitions, one row per (inhibited rule, key)
 * holding until when; and each alert's suppression reason in a column, for `alerts list --status`.
 */
const NOISE_TABLES = `
  CREATE TABLE IF NOT EXISTS silences (
    id TEXT PRIMARY KEY,
    matchers TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS silences_ends ON silences (ends_at);
  CREATE TABLE IF NOT EXISTS dedup_windows (
    id TEXT PRIMARY KEY,
    rule_name TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    period_ms INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sent_alert TEXT,
    sent_count INTEGER,
    closed INTEGER NOT NULL DEFAULT 0,
    update_alert TEXT
  );
  CREATE INDEX IF NOT EXISTS dedup_windows_open ON dedup_windows (rule_name, dedup_key) WHERE closed = 0;
  CREATE INDEX IF NOT EXISTS dedup_windows_due ON dedup_windows (closes_at) WHERE closed = 0;
  CREATE TABLE IF NOT EXISTS inhibitions (
    rule_name TEXT NOT NULL,
    dedup_key TEXT NOT NULL,
    until INTEGER NOT NULL,
    by_rule TEXT NOT NULL,
    PRIMARY KEY (rule_name, dedup_key)
  );
  CREATE INDEX IF NOT EXISTS alerts_suppressed ON alerts (suppressed, created) WHERE suppressed IS NOT NULL;`;

/** Brings a database to schema 6's noise tables and the alerts' `suppressed` column; safe to run on one that has some of them. */
export function addNoiseSchema(db: Database.Database): void {
  const columns = db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'suppressed')) db.exec('ALTER TABLE alerts ADD COLUMN suppressed TEXT');
  db.exec(NOISE_TABLES);
}

/** Dedup windows closed per call: the rest wait for the next (the merger calls every second). */
const CLOSE_BATCH = 100;

type SilenceRow = { id: string; matchers: string; starts_at: number; ends_at: number; created_by: string; comment: string; created_at: number };
type WindowRow = { id: string; closes_at: number; last_at: number; threshold: number; count: number; sent_alert: string | null };

/** What `save` does with one alert: keep it with this marker and no deliveries, or send it. */
export interface NoiseDecision {
  readonly suppression?: Suppression;
}

/**
 * The SQLite side of noise control, on the alert store's connection. Every method runs inside a
 * transaction the store opens (BEGIN IMMEDIATE): a window's count and its sent alert, and an
 * inhibition, hold across processes.
 */
export class SqliteNoise {
  readonly #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      silencesFrom: db.prepare('SELECT * FROM silences WHERE ends_at > ? ORDER BY created_at'),
      allSilences: db.prepare('SELECT * FROM silences ORDER BY created_at DESC LIMIT ?'),
      addSilence: db.prepare('INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      silence: db.prepare('SELECT * FROM silences WHERE id = ?'),
      expire: db.prepare('UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?'),
      inhibited: db.prepare('SELECT by_rule FROM inhibitions WHERE rule_name = ? AND dedup_key IN (?, ?) AND until >= ? LIMIT 1'),
      inhibit: db.prepare(
        `INSERT INTO inhibitions (rule_name, dedup_key, until, by_rule) VALUES (?, ?, ?, ?)
         ON CONFLICT (rule_name, dedup_key) DO UPDATE SET until = excluded.until, by_rule = excluded.by_rule WHERE excluded.until > inhibitions.until`,
      ),
      openWindow: db.prepare('SELECT id, closes_at, last_at, threshold, count, sent_alert FROM dedup_windows WHERE closed = 0 AND rule_name = ? AND dedup_key = ? ORDER BY opened_at DESC LIMIT 1'),
      openNew: db.prepare(
        `INSERT INTO dedup_windows (id, rule_name, dedup_key, period_ms, opened_at, closes_at, last_at, threshold, count, sent_alert, sent_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      ),
      count: db.prepare('UPDATE dedup_windows SET count = ?, last_at = ? WHERE id = ?'),
      sent: db.prepare('UPDATE dedup_windows SET sent_alert = ?, sent_count = ? WHERE id = ?'),
      due: db.prepare('SELECT id FROM dedup_windows WHERE closed = 0 AND closes_at <= ? ORDER BY closes_at LIMIT ?'),
      claim: db.prepare('UPDATE dedup_windows SET closed = 1 WHERE id = ? AND closed = 0'),
      window: db.prepare('SELECT * FROM dedup_windows WHERE id = ?'),
      alertText: db.prepare('SELECT alert FROM alerts WHERE id = ?'),
      updateAlert: db.prepare('UPDATE dedup_windows SET update_alert = ? WHERE id = ?'),
      insertAlert: db.prepare(INSERT_ALERT),
      insertDelivery: db.prepare(INSERT_DELIVERY),
      markSuppressed: db.prepare('UPDATE alerts SET alert = ?, suppressed = ? WHERE id = ?'),
      pruneWindows: db.prepare('DELETE FROM dedup_windows WHERE closed = 1 AND closes_at < ?'),
      pruneInhibitions: db.prepare('DELETE FROM inhibitions WHERE until < ?'),
      pruneSilences: db.prepare('DELETE FROM silences WHERE ends_at < ?'),
    };
  }

  /** The silences that have not ended by `from`: those `save` matches alerts created since against. */
  silencesFrom(from: number): Silence[] {
    return (this.#statements.silencesFrom.all(from) as SilenceRow[]).map(silenceOf);
  }

  /** Every silence, newest first, expired ones too (up to `limit`). */
  silences(limit: number): Silence[] {
    return (this.#statements.allSilences.all(limit) as SilenceRow[]).map(silenceOf);
  }

  addSilence(silence: Silence): void {
    const { id, matchers, startsAt, endsAt, createdBy, comment, createdAt } = silence;
    this.#statements.addSilence.run(id, JSON.stringify(matchers), startsAt, endsAt, createdBy, comment, createdAt);
  }

  /** Ends the silence at `now` unless it has ended already; the silence as it is then, or undefined when there is none. */
  expireSilence(id: string, now: number): Silence | undefined {
    this.#statements.expire.run(now, id, now);
    const row = this.#statements.silence.get(id) as SilenceRow | undefined;
    return row && silenceOf(row);
  }

  /**
   * Decides what becomes of an alert being saved (just inserted, without deliveries): silenced by the first active
   * silence matching it; else inhibited while an inhibiting rule's alert for its key holds; else,
   * for a rule with dedup settings, counted in its window: sent when it brings the count to the
   * threshold, below_threshold before, deduplicated after. An inhibiting rule's alert records its
   * inhibitions whatever becomes of it (the rule fired).
   */
  decide(alert: Alert, silences: readonly Silence[]): NoiseDecision {
    const noise = noiseOf(alert);
    const created = alert.created.getTime();
    if (noise?.inhibits) {
      for (const rule of noise.inhibits.rules) this.#statements.inhibit.run(rule, noise.inhibits.key, created + noise.inhibits.windowMs, alert.ruleName);
    }
    const silence = silences.length > 0 ? silenceFor(alert, silences) : undefined;
    if (silence) return { suppression: { reason: 'silenced', silenceId: silence.id } };
    if (!noise) return {};
    const inhibitor = this.#statements.inhibited.get(alert.ruleName, noise.key, ANY_KEY, created) as { by_rule: string } | undefined;
    if (inhibitor) return { suppression: { reason: 'inhibited', byRule: inhibitor.by_rule } };
    if (!noise.dedup) return {};
    return this.#count(alert, noise.key, noise.dedup.periodMs, noise.dedup.threshold);
  }

  /** Marks a saved alert suppressed: its text with the marker, and the reason in its column (`alerts list --status`). */
  mark(alertId: string, text: string, suppression: Suppression): void {
    this.#statements.markSuppressed.run(text, suppression.reason, alertId);
  }

  #count(alert: Alert, key: string, periodMs: number, threshold: number): NoiseDecision {
    const { openWindow, openNew, count, sent } = this.#statements;
    const created = alert.created.getTime();
    const open = openWindow.get(alert.ruleName, key) as WindowRow | undefined;
    if (!open || created > open.closes_at) {
      const id = timeOrderedUuid(created);
      const sends = threshold <= 1;
      openNew.run(id, alert.ruleName, key, periodMs, created, created + periodMs, created, threshold, sends ? alert.id : null, sends ? 1 : null);
      return sends ? {} : { suppression: { reason: 'below_threshold', windowId: id } };
    }
    const counted = open.count + 1;
    count.run(counted, Math.max(open.last_at, created), open.id);
    if (open.sent_alert !== null) return { suppression: { reason: 'deduplicated', windowId: open.id, onto: open.sent_alert } };
    if (counted < open.threshold) return { suppression: { reason: 'below_threshold', windowId: open.id } };
    sent.run(alert.id, counted, open.id);
    return {};
  }

  /** Forgets what ended before `before` (retention): closed dedup windows, inhibitions that lapsed, silences that ended. */
  prune(before: number): void {
    this.#statements.pruneWindows.run(before);
    this.#statements.pruneInhibitions.run(before);
    this.#statements.pruneSilences.run(before);
  }

  /** The windows due by `now`, soonest first. */
  dueWindows(now: number): string[] {
    return (this.#statements.due.all(now, CLOSE_BATCH) as { id: string }[]).map((row) => row.id);
  }

  /**
   * Closes one window unless another process did; when more alerts came after the one it sent,
   * saves its update alert with deliveries and returns it.
   */
  closeWindow(windowId: string, alertOf: (id: string, text: string) => Alert | undefined): Alert | undefined {
    const { claim, window, alertText, updateAlert, insertAlert, insertDelivery } = this.#statements;
    if (claim.run(windowId).changes === 0) return undefined;
    const row = window.get(windowId) as
      | { rule_name: string; dedup_key: string; period_ms: number; opened_at: number; last_at: number; count: number; sent_alert: string | null; sent_count: number | null }
      | undefined;
    if (!row || row.sent_alert === null) return undefined;
    const text = (alertText.get(row.sent_alert) as { alert: string } | undefined)?.alert;
    const sentAlert = text === undefined ? undefined : alertOf(row.sent_alert, text);
    if (!sentAlert) return undefined;
    const update = dedupUpdateAlert(
      { ruleName: row.rule_name, key: row.dedup_key, periodMs: row.period_ms, count: row.count, sentCount: row.sent_count ?? row.count, firstAt: row.opened_at, lastAt: row.last_at },
      sentAlert,
    );
    if (!update) return undefined;
    insertAlert.run(update.id, update.ruleName, update.created.toISOString(), serializeAlert(update));
    const dueAt = update.created.getTime();
    for (const output of new Set(update.outputs)) insertDelivery.run(update.id, output, dueAt, dueAt);
    updateAlert.run(update.id, windowId);
    return update;
  }
}

function silenceOf(row: SilenceRow): Silence {
  return { id: row.id, matchers: JSON.parse(row.matchers), startsAt: row.starts_at, endsAt: row.ends_at, createdBy: row.created_by, comment: row.comment, createdAt: row.created_at };
}
