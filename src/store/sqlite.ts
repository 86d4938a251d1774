import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../alerts/alert.ts';
import {
  AlertStore,
  describeStoredResult,
  roomFor,
  saturatedOutputs,
  statusAfter,
  toDeliveryState,
  type AlertDetail,
  type AttemptEntry,
  type AttemptRecord,
  type ClaimedDelivery,
  type ClaimRequest,
  type DiscardSelector,
  type ListFilter,
  type OutputBacklog,
  type RequeueSelector,
  type StoredAlert,
  type StoredDelivery,
} from './alert-store.ts';
import { migrate } from './sqlite-schema.ts';
import { parseAlert, serializeAlert } from './serialize.ts';

type ClaimRow = { alert_id: string; output: string; attempts: number; queued_at: number; alert: string };

/**
 * The embedded alert store: SQLite (better-sqlite3) in WAL mode. Every write is one
 * transaction, committed before the call returns, so a process that crashes loses nothing it
 * was told was saved. (synchronous=NORMAL: durable across process crashes; an OS crash or
 * power loss may undo the last transactions, which WAL keeps consistent.)
 */
export class SqliteAlertStore extends AlertStore {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #statements;

  constructor(path: string) {
    super();
    this.location = path;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fresh = !existsSync(path);
    this.#db = new Database(path);
    // Alerts hold whole log records: readable by their owner only, as the secrets beside them.
    if (fresh) chmodSync(path, 0o600);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db, Date.now());
    this.#statements = {
      insertAlert: this.#db.prepare('INSERT OR IGNORE INTO alerts (id, rule_name, created, alert) VALUES (?, ?, ?, ?)'),
      insertDelivery: this.#db.prepare(
        "INSERT OR IGNORE INTO deliveries (alert_id, output, status, attempts, next_attempt_at, queued_at) VALUES (?, ?, 'pending', 0, ?, ?)",
      ),
      lease: this.#db.prepare('UPDATE deliveries SET next_attempt_at = ? WHERE alert_id = ? AND output = ?'),
      record: this.#db.prepare(
        `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_result = ?
         WHERE alert_id = ? AND output = ? AND status = 'pending' AND next_attempt_at = ?`,
      ),
      history: this.#db.prepare('INSERT INTO attempts (alert_id, output, at, duration_ms, result) VALUES (?, ?, ?, ?, ?)'),
      nextDue: this.#db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'"),
    };
  }

  async save(alerts: readonly Alert[]): Promise<void> {
    const { insertAlert, insertDelivery } = this.#statements;
    this.#db.transaction(() => {
      for (const alert of alerts) {
        insertAlert.run(alert.id, alert.ruleName, alert.created.toISOString(), serializeAlert(alert));
        const dueAt = alert.created.getTime();
        for (const output of new Set(alert.outputs)) insertDelivery.run(alert.id, output, dueAt, dueAt);
      }
    })();
  }

  async addDeliveries(alertId: string, outputs: readonly string[], now: number): Promise<string[]> {
    const { insertDelivery } = this.#statements;
    return this.#db.transaction(() => [...new Set(outputs)].filter((output) => insertDelivery.run(alertId, output, now, now).changes > 0))();
  }

  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const { now, limit, leaseMs } = request;
    const skip = saturatedOutputs(request);
    const due = this.#db.prepare(
      `SELECT d.alert_id, d.output, d.attempts, d.queued_at, a.alert FROM deliveries d JOIN alerts a ON a.id = d.alert_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= ?${skip.length ? ` AND d.output NOT IN (${skip.map(() => '?').join(', ')})` : ''}
       ORDER BY d.next_attempt_at LIMIT ?`,
    );
    return this.#db.transaction(() => {
      const taken = new Map<string, number>();
      const claimed: ClaimedDelivery[] = [];
      for (const row of due.all(now, ...skip, limit) as ClaimRow[]) {
        const count = taken.get(row.output) ?? 0;
        if (count >= roomFor(request, row.output)) continue;
        taken.set(row.output, count + 1);
        this.#statements.lease.run(now + leaseMs, row.alert_id, row.output);
        claimed.push({ alert: parseAlert(row.alert), output: row.output, attempts: row.attempts, queuedAt: row.queued_at, leaseUntil: now + leaseMs });
      }
      return claimed;
    })();
  }

  async record(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    const { record, history } = this.#statements;
    const described = describeStoredResult(attempt.result);
    const status = statusAfter(attempt.result, attempt.nextAttemptAt);
    return this.#db.transaction(() => {
      const changed = record.run(status, claim.attempts + 1, attempt.nextAttemptAt ?? 0, described, claim.alert.id, claim.output, claim.leaseUntil).changes;
      if (changed === 0) return false;
      history.run(claim.alert.id, claim.output, attempt.at, attempt.durationMs, described);
      return true;
    })();
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.#statements.nextDue.get() as { at: number | null };
    return row.at ?? undefined;
  }

  async requeue(selector: RequeueSelector, now: number): Promise<number> {
    // A dead letter replayed, or a retry asked for by alert, starts a fresh retry budget.
    const fresh = 'attempts = 0, queued_at = ?, next_attempt_at = ?';
    if (selector.alertId !== undefined) {
      return this.#db
        .prepare(`UPDATE deliveries SET status = 'pending', ${fresh} WHERE alert_id = ? AND status IN ('pending', 'failed')`)
        .run(now, now, selector.alertId).changes;
    }
    return this.#db.transaction(() => {
      let changes = this.#db.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE status = 'pending'").run(now).changes;
      if (selector.failed) changes += this.#db.prepare(`UPDATE deliveries SET status = 'pending', ${fresh} WHERE status = 'failed'`).run(now, now).changes;
      return changes;
    })();
  }

  async discard(selector: DiscardSelector): Promise<number> {
    const where = ["status = 'failed'"];
    const values: string[] = [];
    if (selector.alertId !== undefined) where.push('alert_id = ?') && values.push(selector.alertId);
    if (selector.output !== undefined) where.push('output = ?') && values.push(selector.output);
    return this.#db.prepare(`UPDATE deliveries SET status = 'discarded' WHERE ${where.join(' AND ')}`).run(...values).changes;
  }

  async backlog(): Promise<Record<string, OutputBacklog>> {
    const rows = this.#db
      .prepare(
        `SELECT output, SUM(status = 'pending') AS pending, SUM(status = 'failed') AS failed,
                MIN(CASE WHEN status = 'pending' THEN queued_at END) AS oldest
         FROM deliveries WHERE status IN ('pending', 'failed') GROUP BY output ORDER BY output`,
      )
      .all() as { output: string; pending: number; failed: number; oldest: number | null }[];
    return Object.fromEntries(
      rows.map((row) => [row.output, { pending: row.pending, failed: row.failed, ...(row.oldest === null ? {} : { oldestPendingAt: row.oldest }) }]),
    );
  }

  async list(filter: ListFilter = {}): Promise<StoredAlert[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.rule !== undefined) where.push('rule_name = ?') && values.push(filter.rule);
    if (filter.since !== undefined) where.push('created >= ?') && values.push(new Date(filter.since).toISOString());
    if (filter.status !== undefined || filter.output !== undefined) {
      const match = [...(filter.status ? ['status = ?'] : []), ...(filter.output ? ['output = ?'] : [])];
      where.push(`id IN (SELECT alert_id FROM deliveries WHERE ${match.join(' AND ')})`);
      if (filter.status) values.push(filter.status);
      if (filter.output) values.push(filter.output);
    }
    const rows = this.#db
      .prepare(`SELECT id, alert FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created DESC LIMIT ?`)
      .all(...values, filter.limit ?? 100) as { id: string; alert: string }[];
    return rows.map((row) => ({ alert: parseAlert(row.alert), deliveries: this.#deliveriesOf(row.id) }));
  }

  async get(alertId: string): Promise<AlertDetail | undefined> {
    const row = this.#db.prepare('SELECT alert FROM alerts WHERE id = ?').get(alertId) as { alert: string } | undefined;
    if (!row) return undefined;
    const history = this.#db
      .prepare('SELECT output, at, duration_ms AS durationMs, result FROM attempts WHERE alert_id = ? ORDER BY at, rowid')
      .all(alertId) as AttemptEntry[];
    return { alert: parseAlert(row.alert), deliveries: this.#deliveriesOf(alertId), history };
  }

  async prune(before: number): Promise<number> {
    return this.#db.transaction(() => {
      const finished = `SELECT id FROM alerts WHERE created < ? AND NOT EXISTS
        (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND status IN ('pending', 'failed'))`;
      const cutoff = new Date(before).toISOString();
      this.#db.prepare(`DELETE FROM attempts WHERE alert_id IN (${finished})`).run(cutoff);
      this.#db.prepare(`DELETE FROM deliveries WHERE alert_id IN (${finished})`).run(cutoff);
      return this.#db.prepare(`DELETE FROM alerts WHERE id IN (${finished})`).run(cutoff).changes;
    })();
  }

  close(): void {
    this.#db.close();
  }

  #deliveriesOf(alertId: string) {
    return (this.#db.prepare('SELECT * FROM deliveries WHERE alert_id = ? ORDER BY output').all(alertId) as StoredDelivery[]).map(toDeliveryState);
  }
}
