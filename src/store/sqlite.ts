import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../alerts/alert.ts';
import type { DispatchResult } from '../outputs/result.ts';
import {
  AlertStore,
  describeStoredResult,
  statusAfter,
  toDeliveryState,
  type ClaimedDelivery,
  type DeliveryStatus,
  type StoredDelivery,
  type RequeueSelector,
  type StoredAlert,
} from './alert-store.ts';
import { parseAlert, serializeAlert } from './serialize.ts';

const SCHEMA_VERSION = 1;

/**
 * The embedded alert store: SQLite (better-sqlite3) in WAL mode. Every write is one
 * transaction, committed before the call returns, so a process that crashes loses nothing it
 * was told was saved. (synchronous=NORMAL: durable across process crashes; an OS crash or
 * power loss may undo the last transactions, which WAL keeps consistent.)
 */
export class SqliteAlertStore extends AlertStore {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(path: string) {
    super();
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    this.#statements = {
      insertAlert: this.#db.prepare('INSERT OR IGNORE INTO alerts (id, rule_name, created, alert) VALUES (?, ?, ?, ?)'),
      insertDelivery: this.#db.prepare(
        "INSERT OR IGNORE INTO deliveries (alert_id, output, status, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)",
      ),
      due: this.#db.prepare(
        `SELECT d.alert_id, d.output, d.attempts, a.alert FROM deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
      ),
      lease: this.#db.prepare('UPDATE deliveries SET next_attempt_at = ? WHERE alert_id = ? AND output = ?'),
      record: this.#db.prepare(
        'UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_result = ? WHERE alert_id = ? AND output = ?',
      ),
      nextDue: this.#db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'"),
    };
  }

  async save(alerts: readonly Alert[]): Promise<void> {
    const { insertAlert, insertDelivery } = this.#statements;
    this.#db.transaction(() => {
      for (const alert of alerts) {
        insertAlert.run(alert.id, alert.ruleName, alert.created.toISOString(), serializeAlert(alert));
        const dueAt = alert.created.getTime();
        for (const output of new Set(alert.outputs)) insertDelivery.run(alert.id, output, dueAt);
      }
    })();
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { due, lease } = this.#statements;
    return this.#db.transaction(() => {
      const rows = due.all(now, limit) as { alert_id: string; output: string; attempts: number; alert: string }[];
      for (const row of rows) lease.run(now + leaseMs, row.alert_id, row.output);
      return rows.map((row) => ({ alert: parseAlert(row.alert), output: row.output, attempts: row.attempts }));
    })();
  }

  async record(alertId: string, output: string, result: DispatchResult, attempts: number, nextAttemptAt?: number): Promise<void> {
    this.#statements.record.run(statusAfter(result, nextAttemptAt), attempts, nextAttemptAt ?? 0, describeStoredResult(result), alertId, output);
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.#statements.nextDue.get() as { at: number | null };
    return row.at ?? undefined;
  }

  async requeue(selector: RequeueSelector, now: number): Promise<number> {
    if (selector.alertId !== undefined) {
      return this.#db
        .prepare("UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE alert_id = ? AND status != 'delivered'")
        .run(now, selector.alertId).changes;
    }
    const statuses = selector.failed ? "('pending', 'failed')" : "('pending')";
    return this.#db
      .prepare(`UPDATE deliveries SET status = 'pending', attempts = CASE status WHEN 'failed' THEN 0 ELSE attempts END, next_attempt_at = ? WHERE status IN ${statuses}`)
      .run(now).changes;
  }

  async pendingByOutput(): Promise<Record<string, number>> {
    const rows = this.#db.prepare("SELECT output, COUNT(*) AS n FROM deliveries WHERE status = 'pending' GROUP BY output").all() as { output: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.output, row.n]));
  }

  async list(options: { status?: DeliveryStatus; limit?: number } = {}): Promise<StoredAlert[]> {
    const limit = options.limit ?? 100;
    const alerts = (
      options.status
        ? this.#db
            .prepare('SELECT id, alert FROM alerts WHERE id IN (SELECT alert_id FROM deliveries WHERE status = ?) ORDER BY created DESC LIMIT ?')
            .all(options.status, limit)
        : this.#db.prepare('SELECT id, alert FROM alerts ORDER BY created DESC LIMIT ?').all(limit)
    ) as { id: string; alert: string }[];
    const deliveriesOf = this.#db.prepare('SELECT * FROM deliveries WHERE alert_id = ? ORDER BY output');
    return alerts.map((row) => ({
      alert: parseAlert(row.alert),
      deliveries: (deliveriesOf.all(row.id) as StoredDelivery[]).map(toDeliveryState),
    }));
  }

  close(): void {
    this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`the alert store was written by a newer StreamAlert (schema ${version}); upgrade streamalert`);
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => db.exec(`
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      rule_name TEXT NOT NULL,
      created TEXT NOT NULL,
      alert TEXT NOT NULL
    );
    CREATE INDEX alerts_created ON alerts (created);
    CREATE TABLE deliveries (
      alert_id TEXT NOT NULL REFERENCES alerts (id),
      output TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL,
      next_attempt_at INTEGER NOT NULL,
      last_result TEXT,
      PRIMARY KEY (alert_id, output)
    );
    CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
    PRAGMA user_version = ${SCHEMA_VERSION};
  `))();
}
