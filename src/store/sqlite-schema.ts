import type Database from 'better-sqlite3';

/** The schema version this code writes (PRAGMA user_version). */
export const SCHEMA_VERSION = 2;

const DELIVERIES = `
  CREATE TABLE deliveries (
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    output TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'discarded')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    last_result TEXT,
    PRIMARY KEY (alert_id, output)
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);`;

const ATTEMPTS = `
  CREATE TABLE attempts (
    alert_id TEXT NOT NULL,
    output TEXT NOT NULL,
    at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX attempts_alert ON attempts (alert_id);
  CREATE INDEX alerts_rule ON alerts (rule_name, created);`;

/**
 * Brings a database to SCHEMA_VERSION inside one transaction, so two processes opening a new
 * file at once cannot both create it, and an interrupted upgrade leaves the old schema whole.
 * Version 1 (the first release) had no attempt history, no queue time and no 'discarded'.
 */
export function migrate(db: Database.Database, now: number): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`the alert store was written by a newer StreamAlert (schema ${version}); upgrade streamalert`);
    }
    if (version === SCHEMA_VERSION) return;
    if (version === 0) {
      db.exec(`
        CREATE TABLE alerts (id TEXT PRIMARY KEY, rule_name TEXT NOT NULL, created TEXT NOT NULL, alert TEXT NOT NULL);
        CREATE INDEX alerts_created ON alerts (created);
        ${DELIVERIES}
        ${ATTEMPTS}`);
    } else {
      // SQLite cannot change a CHECK constraint in place: rebuild the table. Budgets start now.
      db.exec(`ALTER TABLE deliveries RENAME TO deliveries_v1; DROP INDEX deliveries_due; ${DELIVERIES} ${ATTEMPTS}`);
      db.prepare(
        `INSERT INTO deliveries (alert_id, output, status, attempts, next_attempt_at, queued_at, last_result)
         SELECT alert_id, output, status, attempts, next_attempt_at, ?, last_result FROM deliveries_v1`,
      ).run(now);
      db.exec('DROP TABLE deliveries_v1');
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
