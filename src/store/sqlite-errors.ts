import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';

/** SQLite's words and code for one failure: `database is locked`, `SQLITE_BUSY`. */
interface Said {
  message: string;
  code: string;
}

/** What a primary SQLite result code means for the user: the message after the path, and whether it is a setup problem. */
interface Meaning {
  describe: (path: string, said: Said, waitedMs: number) => string;
  setup: boolean;
}

const MOVE_ASIDE = 'move it aside (with its -wal and -shm files, if any) and run again: a new one is created';

/** The codes a user can act on (https://www.sqlite.org/rescode.html); any other is reported as SQLite words it. */
const MEANINGS: Record<string, Meaning> = {
  SQLITE_FULL: { setup: false, describe: (path, { message, code }) => `the alert store ${path}: ${message} (${code}); free space and run 'streamalert alerts retry'` },
  SQLITE_BUSY: {
    setup: false,
    describe: (path, { message, code }, waitedMs) =>
      `the alert store ${path}: ${message} (${code}): another process held it for over ${waitedMs / 1000} s; try again once that process is done`,
  },
  SQLITE_NOTADB: { setup: true, describe: (path, { message, code }) => `the alert store ${path} is not an SQLite database (${message}, ${code}); ${MOVE_ASIDE}` },
  SQLITE_CORRUPT: {
    setup: true,
    describe: (path, { message, code }) => `the alert store ${path} is damaged (${message}, ${code}); ${MOVE_ASIDE} (sqlite3's '.recover' may rescue the old alerts)`,
  },
  SQLITE_CANTOPEN: {
    setup: true,
    describe: (path, { message, code }) => `the alert store ${path} cannot be opened (${message}, ${code}); check that its folder exists and this user may write there`,
  },
  SQLITE_READONLY: {
    setup: true,
    describe: (path, { message, code }) =>
      `the alert store ${path} cannot be written (${message}, ${code}); check that this user may write it and its folder (SQLite adds -wal and -shm files beside it)`,
  },
  SQLITE_PERM: { setup: true, describe: (path, { message, code }) => `the alert store ${path} may not be opened (${message}, ${code}); check its permissions` },
  SQLITE_IOERR: {
    setup: false,
    describe: (path, { message, code }) =>
      `the alert store ${path}: the disk failed a read or write (${message}, ${code}); check the disk and free space, then run 'streamalert alerts retry'`,
  },
};

/** True for SQLITE_BUSY and its extended codes: another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && primaryCode(error.code) === 'SQLITE_BUSY';
}

/**
 * The StoreError for what better-sqlite3 threw at the store at `path`, naming the file and the fix;
 * a StoreError passes through, and an error that is not SQLite's (a bug) is returned as it is.
 *
 * @example
 *   sqliteStoreError('/p/.streamalert/alerts.db', error, 30_000).message
 *   // "the alert store /p/.streamalert/alerts.db: database or disk is full (SQLITE_FULL); free space and run 'streamalert alerts retry'"
 */
export function sqliteStoreError(path: string, error: unknown, waitedMs: number): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const said = { message: error.message, code: error.code };
  const meaning = MEANINGS[primaryCode(error.code)];
  const message = meaning ? meaning.describe(path, said, waitedMs) : `the alert store ${path}: ${said.message} (${said.code})`;
  return new StoreError(message, { location: path, code: error.code, setup: meaning?.setup ?? false, cause: error });
}

/** The store was used after close(): a late attempt. Its delivery stays pending, and its lease brings it back. */
export function closedStoreError(path: string, cause: unknown): StoreError {
  return new StoreError(`the alert store ${path} was already closed; the delivery stays pending and is retried by the next run`, {
    location: path,
    code: 'CLOSED',
    setup: false,
    cause,
  });
}

/** SQLITE_IOERR_WRITE -> SQLITE_IOERR: extended codes refine a primary one. */
function primaryCode(code: string): string {
  return code.split('_').slice(0, 2).join('_');
}
