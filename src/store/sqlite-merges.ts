import type Database from 'better-sqlite3';
import { timeOrderedUuid, type Alert } from '../alerts/alert.ts';
import { mergeSettingsOf } from '../merge/settings.ts';
import { MAX_ALERTS_PER_MERGE, type BuildMergedAlert, type MergeMembership, type OpenMerges } from './merges.ts';
import { serializeAlert } from './serialize.ts';
import { INSERT_ALERT, INSERT_DELIVERY } from './sqlite-statements.ts';

/**
 * Schema 5: merge windows and the alerts they hold. A window is open until its merged alert is
 * made (`closed` = 1, in the same transaction as the merged alert and its deliveries).
 */
export const MERGE_TABLES = `
  CREATE TABLE IF NOT EXISTS merge_windows (
    id TEXT PRIMARY KEY,
    rule_name TEXT NOT NULL,
    merge_key TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    members INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT
  );
  CREATE INDEX IF NOT EXISTS merge_windows_open ON merge_windows (rule_name, merge_key) WHERE closed = 0;
  CREATE INDEX IF NOT EXISTS merge_windows_due ON merge_windows (closes_at) WHERE closed = 0;
  CREATE TABLE IF NOT EXISTS merge_members (alert_id TEXT PRIMARY KEY, window_id TEXT NOT NULL, sent_alone INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS merge_members_window ON merge_members (window_id);`;

/** Windows closed per call: the rest wait for the next (a merger calls every second). */
const CLOSE_BATCH = 100;

type WindowRow = { id: string; closes_at: number; members: number };

/**
 * The SQLite side of alert merging, on the alert store's connection. Every method runs inside
 * a transaction the store opens (BEGIN IMMEDIATE), which is what makes a window's close happen
 * once however many processes share the file.
 */
export class SqliteMerges {
  readonly #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      member: db.prepare('SELECT sent_alone FROM merge_members WHERE alert_id = ?'),
      openWindow: db.prepare('SELECT id, closes_at, members FROM merge_windows WHERE closed = 0 AND rule_name = ? AND merge_key = ? ORDER BY opened_at DESC LIMIT 1'),
      join: db.prepare('UPDATE merge_windows SET members = members + 1 WHERE id = ?'),
      openNew: db.prepare('INSERT INTO merge_windows (id, rule_name, merge_key, opened_at, closes_at, members) VALUES (?, ?, ?, ?, ?, 1)'),
      addMember: db.prepare('INSERT INTO merge_members (alert_id, window_id, sent_alone) VALUES (?, ?, ?)'),
      due: db.prepare('SELECT id FROM merge_windows WHERE closed = 0 AND closes_at <= ? ORDER BY closes_at LIMIT ?'),
      claim: db.prepare('UPDATE merge_windows SET closed = 1 WHERE id = ? AND closed = 0'),
      members: db.prepare('SELECT a.id, a.alert FROM merge_members m JOIN alerts a ON a.id = m.alert_id WHERE m.window_id = ? ORDER BY a.created, a.id'),
      mergedInto: db.prepare('UPDATE merge_windows SET merged_into = ? WHERE id = ?'),
      // The merged alert is saved as `save` saves any alert.
      insertAlert: db.prepare(INSERT_ALERT),
      insertDelivery: db.prepare(INSERT_DELIVERY),
      open: db.prepare('SELECT COUNT(*) AS count, MIN(closes_at) AS next FROM merge_windows WHERE closed = 0'),
      membership: db.prepare(
        `SELECT m.alert_id, m.window_id, m.sent_alone, w.closes_at, w.closed, w.merged_into
         FROM merge_members m JOIN merge_windows w ON w.id = m.window_id WHERE m.alert_id = ?`,
      ),
    };
  }

  /**
   * Puts a merging rule's alert (already inserted) in its window: the open one of its rule and
   * merge key when the alert falls within it and it has room, else a new one it opens. Returns
   * true when the alert is to be sent now as well (the first of a `mergeSendFirst` window).
   * Holding an alert again changes nothing.
   */
  hold(alert: Alert): boolean {
    const settings = mergeSettingsOf(alert)!;
    const { member, openWindow, join, openNew, addMember } = this.#statements;
    const held = member.get(alert.id) as { sent_alone: number } | undefined;
    if (held) return held.sent_alone === 1;
    const created = alert.created.getTime();
    const open = openWindow.get(alert.ruleName, settings.key) as WindowRow | undefined;
    if (open && created <= open.closes_at && open.members < MAX_ALERTS_PER_MERGE) {
      join.run(open.id);
      addMember.run(alert.id, open.id, 0);
      return false;
    }
    const id = timeOrderedUuid(created);
    openNew.run(id, alert.ruleName, settings.key, created, created + settings.windowMs);
    addMember.run(alert.id, id, settings.sendFirst ? 1 : 0);
    return settings.sendFirst;
  }

  /** The windows due by `now`, soonest first. */
  dueWindows(now: number): string[] {
    return (this.#statements.due.all(now, CLOSE_BATCH) as { id: string }[]).map((row) => row.id);
  }

  /**
   * Closes one window unless another process did: the merged alert `build` makes from its
   * alerts (read with `alertOf`, which skips a corrupt one) is saved with its deliveries.
   * Returns it; undefined when the window was closed already or closed with nothing to send.
   */
  closeWindow(windowId: string, build: BuildMergedAlert, alertOf: (id: string, text: string) => Alert | undefined): Alert | undefined {
    const { claim, members, mergedInto, insertAlert, insertDelivery } = this.#statements;
    if (claim.run(windowId).changes === 0) return undefined;
    const alerts = (members.all(windowId) as { id: string; alert: string }[]).flatMap((row) => alertOf(row.id, row.alert) ?? []);
    const merged = alerts.length > 0 ? build(alerts) : undefined;
    if (!merged) return undefined;
    insertAlert.run(merged.id, merged.ruleName, merged.created.toISOString(), serializeAlert(merged));
    const dueAt = merged.created.getTime();
    for (const output of new Set(merged.outputs)) insertDelivery.run(merged.id, output, dueAt, dueAt);
    mergedInto.run(merged.id, windowId);
    return merged;
  }

  open(): OpenMerges {
    const { count, next } = this.#statements.open.get() as { count: number; next: number | null };
    return { count, ...(next !== null && { nextClosesAt: next }) };
  }

  memberships(alertIds: readonly string[]): Map<string, MergeMembership> {
    const found = new Map<string, MergeMembership>();
    for (const id of new Set(alertIds)) {
      const row = this.#statements.membership.get(id) as
        | { alert_id: string; window_id: string; sent_alone: number; closes_at: number; closed: number; merged_into: string | null }
        | undefined;
      if (!row) continue;
      found.set(id, {
        windowId: row.window_id,
        closesAt: row.closes_at,
        closed: row.closed === 1,
        sentAlone: row.sent_alone === 1,
        ...(row.merged_into !== null && { mergedInto: row.merged_into }),
      });
    }
    return found;
  }
}
