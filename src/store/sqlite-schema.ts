import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { MERGE_TABLES } from './sqlite-merges.ts';
import { addNoiseSchema } from './sqlite-noise.ts';

/** The schema version this code writes (PRAGMA user_version). */
export const SCHEMA_VERSION = 6;

/**
 * A claim looks for due deliveries output by output (those at their concurrency limit skipped):
 * without this index, skipping a busy output meant reading every one of its due rows. It also
 * answers "when is the next delivery due" (one step per output), so since version 4 there is no
 * index on (status, next_attempt_at) alone: each claim and each result changes next_attempt_at,
 * and every index holding it costs pages written per commit.
 */
const OUTPUT_DUE = 'CREATE INDEX IF NOT EXISTS deliveries_output_due ON deliveries (status, output, next_attempt_at);';

const DELIVERIES = `
  CREATE TABLE IF NOT EXISTS deliveries (
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    output TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'discarded')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    last_result TEXT,
    PRIMARY KEY (alert_id, output)
  );
  ${OUTPUT_DUE}`;

const ATTEMPTS = `
  CREATE TABLE IF NOT EXISTS attempts (
    alert_id TEXT NOT NULL,
    output TEXT NOT NULL,
    at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS attempts_alert ON attempts (alert_id);
  CREATE INDEX IF NOT EXISTS alerts_rule ON alerts (rule_name, created);`;

/**
 * Brings the database at `path` to SCHEMA_VERSION. Two processes may open a new file at once:
 * the version is read again inside one BEGIN IMMEDIATE transaction (the write lock taken up
 * front, so the second waits and then finds the work done), and every CREATE is IF NOT EXISTS.
 * An interrupted upgrade leaves the old schema whole. Version 1 (the first release) had no
 * attempt history, no queue time and no 'discarded'; version 2 no index of due deliveries by
 * output; version 3 also an index of due deliveries alone (deliveries_due), dropped; version 4
 * no merge windows (MERGE_TABLES); version 5 no silences, dedup windows, inhibitions or
 * `alerts.suppressed` (addNoiseSchema, which every older version gets too).
 */
export function migrate(db: Database.Database, now: number, path: string): void {
  // The common case, an up-to-date file, takes no write lock.
  if (versionOf(db, path) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const version = versionOf(db, path);
    if (version === SCHEMA_VERSION) return;
    if (version === 0) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, rule_name TEXT NOT NULL, created TEXT NOT NULL, alert TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created);
        ${DELIVERIES}
        ${ATTEMPTS}
        ${MERGE_TABLES}`);
    } else if (version === 5) {
      // Only the noise tables below.
    } else if (version === 4) {
      db.exec(MERGE_TABLES);
    } else if (version === 2 || version === 3) {
      db.exec(`${OUTPUT_DUE} DROP INDEX IF EXISTS deliveries_due; ${MERGE_TABLES}`);
    } else {
      // SQLite cannot change a CHECK constraint in place: rebuild the table. Budgets start now.
      db.exec(`ALTER TABLE deliveries RENAME TO deliveries_v1; DROP INDEX deliveries_due; ${DELIVERIES} ${ATTEMPTS}`);
      db.prepare(
        `INSERT INTO deliveries (alert_id, output, status, attempts, next_attempt_at, queued_at, last_result)
         SELECT alert_id, output, status, attempts, next_attempt_at, ?, last_result FROM deliveries_v1`,
      ).run(now);
      db.exec(`DROP TABLE deliveries_v1; ${MERGE_TABLES}`);
    }
    addNoiseSchema(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** The file's schema version; a newer one than this code writes is refused, naming the fix. */
function versionOf(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`the alert store ${path} was written by a newer StreamAlert (schema ${version}; this one reads ${SCHEMA_VERSION}); upgrade streamalert`, {
      location: path,
      code: 'SCHEMA_NEWER',
      setup: true,
    });
  }
  return version;
}
