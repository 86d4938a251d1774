import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Alert } from '../alerts/alert.ts';
import {
  AlertStore,
  countSuppressed,
  describeStoredResult,
  isSuppressionStatus,
  roomFor,
  statusAfter,
  withinRoom,
  referenceOf,
  toDeliveryState,
  type AlertDetail,
  type AttemptEntry,
  type AttemptRecord,
  type ClaimedDelivery,
  type ClaimRequest,
  type DiscardSelector,
  type ListFilter,
  type OutputAttemptStats,
  type OutputBacklog,
  type RequeueSelector,
  type RuleAlertCount,
  type SaveOutcome,
  type StoredAlert,
  type StoredDelivery,
} from './alert-store.ts';
import { StoreError } from './errors.ts';
import { closedStoreError, isBusy, sqliteStoreError } from './sqlite-errors.ts';
import { LOCK_WAIT_MS, openDatabase, type Synchronous } from './sqlite-file.ts';
import { parseAlert, serializeAlert } from './serialize.ts';
import type { BuildMergedAlert, MergeMembership, OpenMerges } from './merges.ts';
import { SqliteMerges } from './sqlite-merges.ts';
import { INSERT_ALERT, INSERT_DELIVERY } from './sqlite-statements.ts';
import { mergeSettingsOf } from '../merge/settings.ts';
import { noiseOf, suppressed as markedSuppressed } from '../noise/settings.ts';
import { earliestCreated, type Silence } from '../noise/silence.ts';
import { SqliteNoise } from './sqlite-noise.ts';

type ClaimRow = { alert_id: string; output: string; attempts: number; queued_at: number; next_attempt_at: number };

/** An attempt's result waiting for the next group commit, and the caller waiting for it. */
interface QueuedRecord {
  readonly claim: ClaimedDelivery;
  readonly attempt: AttemptRecord;
  readonly resolve: (recorded: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/** A claim riding on the next group commit (see claimDue), and the caller waiting for it. */
interface QueuedClaim {
  readonly request: ClaimRequest;
  readonly resolve: (claimed: ClaimedDelivery[]) => void;
}

/** How the SQLite store waits for other processes and reports what it skips. */
export interface SqliteStoreOptions {
  /** How long an operation waits for another process's lock before failing (default 30 s). */
  lockWaitMs?: number;
  /** Hears about rows the store skips (a corrupt alert); default: a `streamalert:` line on standard error. */
  warn?: (message: string) => void;
  /** conf/global.json `store.synchronous` (default `normal`): see Synchronous. */
  synchronous?: Synchronous;
}

/**
 * The embedded alert store: SQLite (better-sqlite3) in WAL mode. Every write is committed
 * before the call returns (results that arrive together share one commit, with the claims made
 * meanwhile), so a process that crashes loses nothing it was told was saved. (synchronous=NORMAL
 * by default: durable across process crashes; an OS crash or power loss may undo the commits
 * since the WAL was last synced, and WAL keeps the file consistent; `synchronous: 'full'` syncs
 * every commit.) Several processes may share the file: each write transaction takes the write
 * lock up front (BEGIN IMMEDIATE), waiting its turn, except a claim's first try, which looks
 * for due deliveries before it takes the lock (see claimDue); every failure is a StoreError
 * naming the file and the fix.
 *
 * @example
 *   const store = new SqliteAlertStore(join(project.dir, '.streamalert', 'alerts.db'));
 */
export class SqliteAlertStore extends AlertStore {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #statements;
  readonly #lockWaitMs: number;
  readonly #warn: (message: string) => void;
  /** Corrupt alerts already reported by this process: each is reported once. */
  readonly #reported = new Set<string>();
  /** Results waiting for the next group commit (see record). */
  readonly #toRecord: QueuedRecord[] = [];
  /** Claims made while results wait: they are taken in the same commit, after the results. */
  readonly #toClaim: QueuedClaim[] = [];
  /** Merge windows (src/merge), in tables of their own. */
  readonly #merges: SqliteMerges;
  /** Silences, dedup windows and inhibitions (src/noise), in tables of their own. */
  readonly #noise: SqliteNoise;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    super();
    this.location = path;
    this.#lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
    this.#warn = options.warn ?? ((message) => console.error(`streamalert: ${message}`));
    try {
      this.#db = openDatabase(path, this.#lockWaitMs, options.synchronous);
    } catch (error) {
      throw sqliteStoreError(path, error, this.#lockWaitMs);
    }
    this.#statements = {
      insertAlert: this.#db.prepare(INSERT_ALERT),
      insertDelivery: this.#db.prepare(INSERT_DELIVERY),
      lease: this.#db.prepare('UPDATE deliveries SET next_attempt_at = ? WHERE alert_id = ? AND output = ?'),
      alertText: this.#db.prepare('SELECT alert FROM alerts WHERE id = ?'),
      // The next output, in name order, with a pending delivery (one step in deliveries_output_due).
      nextOutput: this.#db.prepare("SELECT MIN(output) AS output FROM deliveries WHERE status = 'pending' AND output > ?"),
      dueFor: this.#db.prepare(
        `SELECT alert_id, output, attempts, queued_at, next_attempt_at FROM deliveries
         WHERE status = 'pending' AND output = ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      ),
      record: this.#db.prepare(
        `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_result = ?
         WHERE alert_id = ? AND output = ? AND status = 'pending' AND next_attempt_at = ?`,
      ),
      history: this.#db.prepare('INSERT INTO attempts (alert_id, output, at, duration_ms, result) VALUES (?, ?, ?, ?, ?)'),
      nextDueFor: this.#db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND output = ?"),
      quarantine: this.#db.prepare("UPDATE deliveries SET status = 'failed', last_result = ? WHERE alert_id = ? AND status = 'pending'"),
      delivery: this.#db.prepare('SELECT status, last_result FROM deliveries WHERE alert_id = ? AND output = ?'),
    };
    this.#merges = new SqliteMerges(this.#db);
    this.#noise = new SqliteNoise(this.#db);
  }

  async save(alerts: readonly Alert[]): Promise<SaveOutcome> {
    const { insertAlert, insertDelivery } = this.#statements;
    return this.#guard(() =>
      this.#db
        .transaction((): SaveOutcome => {
          const suppressed: SaveOutcome['suppressed'] = {};
          // Read in the transaction, so a silence added a moment ago by another process applies.
          const silences = alerts.length > 0 ? this.#noise.silencesFrom(earliestCreated(alerts)) : [];
          for (const alert of alerts) {
            // Saved before: everything was done then, in that transaction (saving again changes nothing, not even a window's count).
            if (insertAlert.run(alert.id, alert.ruleName, alert.created.toISOString(), serializeAlert(alert)).changes === 0) continue;
            // Noise control only where it may apply: a silence is active, or the rule has noise options.
            if (silences.length > 0 || noiseOf(alert)) {
              const { suppression } = this.#noise.decide(alert, silences);
              if (suppression) {
                // Kept with its outputs and its marker, never sent.
                this.#noise.mark(alert.id, serializeAlert(markedSuppressed(alert, suppression)), suppression);
                countSuppressed(suppressed, suppression.reason);
                continue;
              }
            }
            // A merging rule's alert is held in its merge window, not sent (unless it opens a mergeSendFirst window).
            if (mergeSettingsOf(alert) && !this.#merges.hold(alert)) continue;
            const dueAt = alert.created.getTime();
            for (const output of new Set(alert.outputs)) insertDelivery.run(alert.id, output, dueAt, dueAt);
          }
          return { suppressed };
        })
        .immediate(),
    );
  }

  async addDeliveries(alertId: string, outputs: readonly string[], now: number): Promise<string[]> {
    const { insertDelivery } = this.#statements;
    return this.#guard(() =>
      this.#db.transaction(() => [...new Set(outputs)].filter((output) => insertDelivery.run(alertId, output, now, now).changes > 0)).immediate(),
    );
  }

  /**
   * Claims in the next group commit when results are waiting for one (attempts that just ended
   * make room, and the delivery engine claims for that room at once): one transaction records
   * them and takes their successors. Otherwise in a transaction of its own, which takes the
   * write lock only once it has found something to lease.
   */
  claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (this.#toRecord.length > 0) return new Promise((resolve) => this.#toClaim.push({ request, resolve }));
    const claim = this.#db.transaction(() => this.#claim(request));
    let tries = 0;
    return this.#guard(() => {
      // First deferred: nothing due for an output with room (the common case while another
      // process works, or while this one's outputs are at their limits) is found without the
      // write lock, and what is found is leased in the same transaction. SQLite fails that lease
      // at once as busy when another process writes meanwhile; from then on, wait for the lock
      // in turn (immediate), looking first whether there is anything to take.
      if (tries++ === 0) return claim.deferred();
      return this.#candidates(request).length === 0 ? [] : claim.immediate();
    });
  }

  /** Inside a transaction: leases what `request` may take, reading an alert's text only for the deliveries taken. */
  #claim(request: ClaimRequest): ClaimedDelivery[] {
    const { now, leaseMs } = request;
    const { alertText, lease } = this.#statements;
    return this.#candidates(request).flatMap((row): ClaimedDelivery[] => {
      const text = (alertText.get(row.alert_id) as { alert: string } | undefined)?.alert;
      const alert = text === undefined ? undefined : this.#alertOf(row.alert_id, text);
      if (!alert) return [];
      lease.run(now + leaseMs, row.alert_id, row.output);
      return [{ alert, output: row.output, attempts: row.attempts, queuedAt: row.queued_at, leaseUntil: now + leaseMs }];
    });
  }

  /**
   * What a claim takes: output by output (walking the outputs with pending deliveries in the
   * index), each output's earliest due deliveries up to its room, then the earliest `limit` of
   * all. An output at its limit costs one index step, however many of its deliveries are due.
   */
  #candidates(request: ClaimRequest): ClaimRow[] {
    if (request.alertIds) return this.#candidatesAmong(request, request.alertIds);
    const { nextOutput, dueFor } = this.#statements;
    const rows: ClaimRow[] = [];
    for (let output = (nextOutput.get('') as { output: string | null }).output; output !== null; output = (nextOutput.get(output) as { output: string | null }).output) {
      const room = Math.min(roomFor(request, output), request.limit);
      if (room > 0) rows.push(...(dueFor.all(output, request.now, room) as ClaimRow[]));
    }
    return rows.length <= request.limit ? rows : rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at).slice(0, request.limit);
  }

  /** What a claim scoped to some alerts takes: their due deliveries by primary key, soonest first, within each output's room. */
  #candidatesAmong(request: ClaimRequest, alertIds: readonly string[]): ClaimRow[] {
    const rows = this.#db
      .prepare(
        `SELECT alert_id, output, attempts, queued_at, next_attempt_at FROM deliveries
         WHERE alert_id IN (SELECT value FROM json_each(?)) AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at`,
      )
      .all(JSON.stringify(alertIds), request.now) as ClaimRow[];
    return withinRoom(request, rows);
  }

  /**
   * Records the attempt in the next group commit: every result recorded in the same turn of the
   * event loop (attempts ending together) is written in one transaction, with the claims made
   * meanwhile, and each call returns once that transaction is committed. One commit writes its
   * pages to the WAL once, not once per attempt: this is most of what a durable delivery costs.
   */
  record(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#toRecord.push({ claim, attempt, resolve, reject });
      if (this.#toRecord.length === 1) setImmediate(() => void this.#commitQueued());
    });
  }

  async #commitQueued(): Promise<void> {
    const records = this.#toRecord.splice(0);
    const claims = this.#toClaim.splice(0);
    const { record, history } = this.#statements;
    try {
      const [recorded, claimed] = await this.#guard(() =>
        this.#db
          .transaction((): [boolean[], ClaimedDelivery[][]] => [
            records.map(({ claim, attempt }) => {
              const described = describeStoredResult(attempt.result);
              const status = statusAfter(attempt.result, attempt.nextAttemptAt);
              const changed = record.run(status, claim.attempts + 1, attempt.nextAttemptAt ?? 0, described, claim.alert.id, claim.output, claim.leaseUntil).changes;
              // A lost lease records nothing: another worker holds the delivery now.
              if (changed === 0) return false;
              history.run(claim.alert.id, claim.output, attempt.at, attempt.durationMs, described);
              return true;
            }),
            claims.map(({ request }) => this.#claim(request)),
          ])
          .immediate(),
      );
      records.forEach(({ resolve }, index) => resolve(recorded[index]!));
      claims.forEach(({ resolve }, index) => resolve(claimed[index]!));
    } catch (error) {
      for (const { reject } of records) reject(error);
      // Nothing was leased. The results' failure is the one reported; the claimer asks again
      // when an attempt ends or its timer fires, as after a claim that found nothing.
      for (const { resolve } of claims) resolve([]);
    }
  }

  async nextDueAt(alertIds?: readonly string[]): Promise<number | undefined> {
    const { nextOutput, nextDueFor } = this.#statements;
    return this.#guard(() => {
      if (alertIds) {
        const among = this.#db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE alert_id IN (SELECT value FROM json_each(?)) AND status = 'pending'");
        return (among.get(JSON.stringify(alertIds)) as { at: number | null }).at ?? undefined;
      }
      // Output by output in deliveries_output_due: one step each, however many are pending.
      let earliest: number | undefined;
      for (let output = (nextOutput.get('') as { output: string | null }).output; output !== null; output = (nextOutput.get(output) as { output: string | null }).output) {
        const at = (nextDueFor.get(output) as { at: number }).at;
        if (earliest === undefined || at < earliest) earliest = at;
      }
      return earliest;
    });
  }

  async requeue(selector: RequeueSelector, now: number): Promise<number> {
    // A dead letter replayed, or a retry asked for by alert, starts a fresh retry budget.
    const fresh = 'attempts = 0, queued_at = ?, next_attempt_at = ?';
    return this.#guard(() => {
      const output = new Conditions().addIf(selector.output, 'output = ?');
      const andOutput = output.values.length > 0 ? ' AND output = ?' : '';
      if (selector.alertId !== undefined) {
        return this.#db
          .prepare(`UPDATE deliveries SET status = 'pending', ${fresh} WHERE alert_id = ? AND status IN ('pending', 'failed')${andOutput}`)
          .run(now, now, selector.alertId, ...output.values).changes;
      }
      return this.#db
        .transaction(() => {
          let changes = this.#db.prepare(`UPDATE deliveries SET next_attempt_at = ? WHERE status = 'pending'${andOutput}`).run(now, ...output.values).changes;
          if (selector.failed) changes += this.#db.prepare(`UPDATE deliveries SET status = 'pending', ${fresh} WHERE status = 'failed'${andOutput}`).run(now, now, ...output.values).changes;
          return changes;
        })
        .immediate();
    });
  }

  async discard(selector: DiscardSelector): Promise<number> {
    const where = new Conditions().add("status = 'failed'").addIf(selector.alertId, 'alert_id = ?').addIf(selector.output, 'output = ?');
    return this.#guard(() => this.#db.prepare(`UPDATE deliveries SET status = 'discarded' ${where.sql}`).run(...where.values).changes);
  }

  async backlog(): Promise<Record<string, OutputBacklog>> {
    const rows = await this.#guard(
      () =>
        this.#db
          .prepare(
            `SELECT output, SUM(status = 'pending') AS pending, SUM(status = 'failed') AS failed,
                    MIN(CASE WHEN status = 'pending' THEN queued_at END) AS oldest
             FROM deliveries WHERE status IN ('pending', 'failed') GROUP BY output ORDER BY output`,
          )
          .all() as { output: string; pending: number; failed: number; oldest: number | null }[],
    );
    return Object.fromEntries(
      rows.map((row) => [row.output, { pending: row.pending, failed: row.failed, ...(row.oldest === null ? {} : { oldestPendingAt: row.oldest }) }]),
    );
  }

  async list(filter: ListFilter = {}): Promise<StoredAlert[]> {
    const bySuppression = isSuppressionStatus(filter.status);
    const delivery = new Conditions().addIf(bySuppression ? undefined : filter.status, 'status = ?').addIf(filter.output, 'output = ?');
    const where = new Conditions()
      .addIf(filter.rule, 'rule_name = ?')
      .addIf(bySuppression && filter.status !== 'suppressed' ? filter.status : undefined, 'suppressed = ?')
      .addIf(filter.since === undefined ? undefined : new Date(filter.since).toISOString(), 'created >= ?')
      .addIf(filter.until === undefined ? undefined : new Date(filter.until).toISOString(), 'created < ?');
    if (filter.status === 'suppressed') where.add('suppressed IS NOT NULL');
    if (delivery.values.length > 0) where.add(`id IN (SELECT alert_id FROM deliveries ${delivery.sql})`, ...delivery.values);
    return this.#guard(() => {
      const rows = this.#db
        .prepare(`SELECT id, alert FROM alerts ${where.sql} ORDER BY created DESC LIMIT ?`)
        .all(...where.values, filter.limit ?? 100) as { id: string; alert: string }[];
      return rows.flatMap((row) => {
        const alert = this.#alertOf(row.id, row.alert);
        return alert ? [{ alert, deliveries: this.#deliveriesOf(row.id) }] : [];
      });
    });
  }

  async attemptStats(since: number): Promise<Record<string, OutputAttemptStats>> {
    const rows = await this.#guard(
      () =>
        this.#db
          .prepare(
            `SELECT output, COUNT(*) AS attempts, SUM(result LIKE 'delivered%') AS delivered, AVG(duration_ms) AS mean, MAX(duration_ms) AS max,
                    MAX(at) AS lastAt, (SELECT result FROM attempts latest WHERE latest.output = attempts.output ORDER BY at DESC, rowid DESC LIMIT 1) AS lastResult
             FROM attempts WHERE at >= ? GROUP BY output ORDER BY output`,
          )
          .all(since) as { output: string; attempts: number; delivered: number; mean: number; max: number; lastAt: number; lastResult: string }[],
    );
    return Object.fromEntries(
      rows.map((row) => [
        row.output,
        { attempts: row.attempts, delivered: row.delivered, notDelivered: row.attempts - row.delivered, meanDurationMs: Math.round(row.mean), maxDurationMs: row.max, lastAt: row.lastAt, lastResult: row.lastResult },
      ]),
    );
  }

  async alertCounts(since: number, bucketMs: number): Promise<RuleAlertCount[]> {
    // created is ISO 8601 text: julianday reads it, to epoch ms, then floored to the bucket (integer division: parameters bind as REAL).
    return this.#guard(
      () =>
        this.#db
          .prepare(
            `SELECT rule_name AS rule, (CAST(ROUND((julianday(created) - 2440587.5) * 86400000) AS INTEGER) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucketStart, COUNT(*) AS count
             FROM alerts WHERE created >= ? GROUP BY rule, bucketStart ORDER BY bucketStart, rule`,
          )
          .all(bucketMs, bucketMs, new Date(since).toISOString()) as RuleAlertCount[],
    );
  }

  async get(alertId: string): Promise<AlertDetail | undefined> {
    return this.#guard(() => {
      const row = this.#db.prepare('SELECT alert FROM alerts WHERE id = ?').get(alertId) as { alert: string } | undefined;
      if (!row) return undefined;
      const alert = this.#alertOf(alertId, row.alert);
      if (!alert) {
        throw new StoreError(`the alert store ${this.location}: alert ${alertId} is corrupt; the row is kept as it is for inspection`, {
          location: this.location,
          code: 'CORRUPT_ROW',
          setup: false,
        });
      }
      const history = this.#db
        .prepare('SELECT output, at, duration_ms AS durationMs, result FROM attempts WHERE alert_id = ? ORDER BY at, rowid')
        .all(alertId) as AttemptEntry[];
      return { alert, deliveries: this.#deliveriesOf(alertId), history };
    });
  }

  async deliveredReference(alertId: string, output: string): Promise<string | undefined> {
    return this.#guard(() => referenceOf(this.#statements.delivery.get(alertId, output) as Pick<StoredDelivery, 'status' | 'last_result'> | undefined));
  }

  async prune(before: number): Promise<number> {
    return this.#guard(() =>
      this.#db
        .transaction(() => {
          const finished = `SELECT id FROM alerts WHERE created < ? AND NOT EXISTS
            (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND status IN ('pending', 'failed'))`;
          const cutoff = new Date(before).toISOString();
          this.#db.prepare(`DELETE FROM attempts WHERE alert_id IN (${finished})`).run(cutoff);
          this.#db.prepare(`DELETE FROM deliveries WHERE alert_id IN (${finished})`).run(cutoff);
          this.#noise.prune(before);
          return this.#db.prepare(`DELETE FROM alerts WHERE id IN (${finished})`).run(cutoff).changes;
        })
        .immediate(),
    );
  }

  async closeDueMerges(now: number, build: BuildMergedAlert): Promise<Alert[]> {
    const due = await this.#guard(() => this.#merges.dueWindows(now));
    const merged: Alert[] = [];
    for (const windowId of due) {
      // One window per transaction: each takes the write lock briefly, and is closed once whoever else tries.
      const alert = await this.#guard(() => this.#db.transaction(() => this.#merges.closeWindow(windowId, build, (id, text) => this.#alertOf(id, text))).immediate());
      if (alert) merged.push(alert);
    }
    return merged;
  }

  async openMerges(): Promise<OpenMerges> {
    return this.#guard(() => this.#merges.open());
  }

  async mergeMemberships(alertIds: readonly string[]): Promise<Map<string, MergeMembership>> {
    return this.#guard(() => this.#merges.memberships(alertIds));
  }

  async closeDueDedups(now: number): Promise<Alert[]> {
    const due = await this.#guard(() => this.#noise.dueWindows(now));
    const updates: Alert[] = [];
    for (const windowId of due) {
      const update = await this.#guard(() => this.#db.transaction(() => this.#noise.closeWindow(windowId, (id, text) => this.#alertOf(id, text))).immediate());
      if (update) updates.push(update);
    }
    return updates;
  }

  async addSilence(silence: Silence): Promise<void> {
    await this.#guard(() => this.#db.transaction(() => this.#noise.addSilence(silence)).immediate());
  }

  async silences(limit = 1_000): Promise<Silence[]> {
    return this.#guard(() => this.#noise.silences(limit));
  }

  async expireSilence(id: string, now: number): Promise<Silence | undefined> {
    return this.#guard(() => this.#db.transaction(() => this.#noise.expireSilence(id, now)).immediate());
  }

  /** How durable each commit is, as SQLite has it for this connection (PRAGMA synchronous). */
  get synchronous(): Synchronous {
    return this.#db.pragma('synchronous', { simple: true }) === 2 ? 'full' : 'normal';
  }

  close(): void {
    this.#db.close();
  }

  #deliveriesOf(alertId: string) {
    return (this.#db.prepare('SELECT * FROM deliveries WHERE alert_id = ? ORDER BY output').all(alertId) as StoredDelivery[]).map(toDeliveryState);
  }

  /**
   * The alert stored as `text`, or undefined when the row is corrupt (written by hand, damaged):
   * it is reported once, and its pending deliveries are marked failed with the reason, so no
   * claim hands it out again and no run fails on it. The row itself stays, for inspection.
   */
  #alertOf(alertId: string, text: string): Alert | undefined {
    try {
      return parseAlert(text);
    } catch (error) {
      const reason = (error as Error).message;
      this.#statements.quarantine.run(`the stored alert is corrupt: ${reason}`, alertId);
      if (!this.#reported.has(alertId)) {
        this.#reported.add(alertId);
        this.#warn(
          `the alert store ${this.location}: alert ${alertId} is corrupt (${reason}): skipped and kept for inspection; ` +
            `its deliveries are marked failed ('streamalert alerts discard ${alertId}' gives up on them)`,
        );
      }
      return undefined;
    }
  }

  /**
   * Runs one operation, retrying it while another process holds the write lock (up to
   * lockWaitMs, with backoff and full jitter, yielding between tries), and turns whatever
   * SQLite throws into a StoreError naming the file and what to do.
   */
  async #guard<T>(operation: () => T): Promise<T> {
    const giveUpAt = Date.now() + this.#lockWaitMs;
    for (let pauseMs = 10; ; pauseMs = Math.min(pauseMs * 2, 500)) {
      try {
        return operation();
      } catch (error) {
        if (!this.#db.open) throw closedStoreError(this.location, error);
        if (!isBusy(error) || Date.now() >= giveUpAt) throw sqliteStoreError(this.location, error, this.#lockWaitMs);
      }
      await sleep(Math.random() * pauseMs);
    }
  }
}

/** A WHERE clause and its parameters, built together so they cannot drift apart. */
class Conditions {
  readonly #clauses: string[] = [];
  readonly values: (string | number)[] = [];

  add(clause: string, ...values: (string | number)[]): this {
    this.#clauses.push(clause);
    this.values.push(...values);
    return this;
  }

  /** Adds `clause` (one `?`) for `value`, unless the filter does not set it. */
  addIf(value: string | number | undefined, clause: string): this {
    return value === undefined ? this : this.add(clause, value);
  }

  get sql(): string {
    return this.#clauses.length > 0 ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }
}
