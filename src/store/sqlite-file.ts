import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './sqlite-schema.ts';

/**
 * How long an operation waits, in all, for a lock another process holds. Writers take turns:
 * a second `run` saving a batch of 1,000 alerts holds the lock for tens of milliseconds, a
 * retention prune of a large store for seconds; a lock held longer is a stuck process.
 */
export const LOCK_WAIT_MS = 30_000;
/**
 * SQLite's own busy wait blocks the whole process, so it waits in slices this long and the
 * store retries between them (with backoff and jitter), letting HTTP answers and timers run.
 */
const BLOCKING_WAIT_MS = 250;

/**
 * How durable a commit is. `normal` (the default): a commit is written to the WAL, not synced;
 * the WAL is synced to disk at each checkpoint. A process crash loses nothing committed; an OS
 * crash or power cut may lose the commits since the last sync (never the database's
 * consistency). `full`: every commit is synced before it returns, at a cost per transaction.
 * See docs/delivery.md#what-a-crash-can-lose.
 */
export type Synchronous = 'normal' | 'full';

/**
 * Pages the WAL may grow to before a commit checkpoints it into the database (SQLite's default
 * is 1,000). Each checkpoint syncs the WAL and the database file: on a busy disk two syncs cost
 * more than a thousand commits, so the durable path checkpoints about a tenth as often. About
 * 40 MB of WAL at most; journal_size_limit gives the disk space back after a checkpoint.
 */
const CHECKPOINT_PAGES = 10_000;
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** Page cache per connection (KiB): the pages a claim and a record touch stay in memory across transactions. */
const CACHE_KIB = 32 * 1024;

/**
 * Opens (creating when missing) the alert store's database at `path`: owner-only, in WAL mode
 * with commits as durable as `synchronous` says, at the current schema. Opening waits the whole `lockWaitMs` for a lock at once: a constructor
 * cannot yield, and another process holds it only while creating or upgrading the schema.
 *
 * @example
 *   const db = openDatabase(join(project.dir, '.streamalert', 'alerts.db'), LOCK_WAIT_MS);
 */
export function openDatabase(path: string, lockWaitMs: number, synchronous: Synchronous = 'normal'): Database.Database {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  createOwnerOnly(path);
  const db = new Database(path, { timeout: lockWaitMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    migrate(db, Date.now(), path);
    db.pragma(`busy_timeout = ${Math.min(BLOCKING_WAIT_MS, lockWaitMs)}`);
    keepOwnerOnly(path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Alerts hold whole log records: readable by their owner only, as the secrets beside them.
 * SQLite makes an empty file a new database, and gives the -wal and -shm files it creates
 * the database file's mode, so creating the file 0600 first covers all three.
 */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** A store made before (by an older release, by hand, restored from a backup) is made owner-only too, with its -wal and -shm. */
function keepOwnerOnly(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch (error) {
      // Gone meanwhile (another process closed the last connection), or not ours to change.
      if (!['ENOENT', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
}
