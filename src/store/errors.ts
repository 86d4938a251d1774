/**
 * The alert store failed: the message names the store (its file or table), what went wrong
 * with the backend's own code, and what to do. `setup` tells a store that cannot be used as
 * it is (not a database, no access, written by a newer release: the CLI exits 2) from an
 * operation that failed on a usable store (disk full, locked too long: exit 1).
 *
 * @example
 *   throw new StoreError('the alert store /p/alerts.db: database or disk is full (SQLITE_FULL); free space and ...', { location: '/p/alerts.db', code: 'SQLITE_FULL', setup: false });
 */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly location: string;
  /** The backend's code: `SQLITE_FULL`, `AccessDeniedException`, ... */
  readonly code: string;
  readonly setup: boolean;

  constructor(message: string, details: { location: string; code: string; setup: boolean; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.location = details.location;
    this.code = details.code;
    this.setup = details.setup;
  }
}
