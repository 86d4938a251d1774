import { describeError } from '../observability/describe-error.ts';
import type { TableRows } from './decode.ts';
import type { TableDriver } from './drivers/driver.ts';
import { LookupTableError } from './errors.ts';

/** Milliseconds since the epoch; injected so tests can move time on without waiting. */
export type Clock = () => number;

/** After a failed read, the next try waits this long rather than hitting the source at every batch. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * One lookup table: its rows in memory, refreshed from its driver once `cache_refresh_minutes`
 * have passed (StreamAlert's cache TTL). A read that fails keeps the rows already held, so a
 * source that is briefly unreachable does not turn every rule reading the table into an error;
 * a table that never loaded answers with its failure.
 *
 * @example
 *   const table = new LookupTable('browsers', driver, 10 * 60_000, Date.now);
 *   await table.refreshIfDue();
 *   table.lookup('duo_blacklisted_browsers')  // { found: true, value: ['Netscape'] }
 */
export class LookupTable {
  readonly name: string;
  readonly driver: TableDriver;
  readonly #refreshMs: number;
  readonly #now: Clock;
  #rows: TableRows | undefined;
  #failure: string | undefined;
  /** When the next read is due; 0 before the first. */
  #dueAt = 0;
  #reading: Promise<void> | undefined;

  constructor(name: string, driver: TableDriver, refreshMs: number, now: Clock) {
    this.name = name;
    this.driver = driver;
    this.#refreshMs = refreshMs;
    this.#now = now;
  }

  /** Why the last read failed, while it has not succeeded since. */
  get failure(): string | undefined {
    return this.#failure;
  }

  get size(): number {
    return this.#rows?.size ?? 0;
  }

  isDue(): boolean {
    return this.#now() >= this.#dueAt;
  }

  /** Reads the table if its time has come; resolves either way (a failure is kept in `failure`). Concurrent calls share one read. */
  refreshIfDue(): Promise<void> {
    if (!this.isDue()) return Promise.resolve();
    this.#reading ??= this.driver
      .load()
      .then(
        (rows) => this.#loaded(rows),
        (error: unknown) => this.#failed(error),
      )
      .finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  /** refreshIfDue for a local driver, synchronously: when the project loads, outside any rule. */
  refreshSyncIfDue(): void {
    if (!this.isDue() || this.driver.loadSync === undefined) return;
    try {
      this.#loaded(this.driver.loadSync());
    } catch (error) {
      this.#failed(error);
    }
  }

  /** A key's value; throws a LookupTableError when the table has never loaded. */
  lookup(key: string): { readonly found: boolean; readonly value?: unknown } {
    const rows = this.#rows;
    if (rows === undefined) {
      throw new LookupTableError(
        this.#failure !== undefined
          ? `lookup table '${this.name}' did not load: ${this.#failure}`
          : `lookup table '${this.name}' (${this.driver.source}) is not loaded yet: tables from AWS are read before each batch of records (Pipeline.prepare), never while a rule runs`,
      );
    }
    return rows.has(key) ? { found: true, value: rows.get(key) } : { found: false };
  }

  #loaded(rows: TableRows | undefined): void {
    if (rows !== undefined) this.#rows = rows;
    this.#failure = undefined;
    this.#dueAt = this.#now() + this.#refreshMs;
  }

  #failed(error: unknown): void {
    this.#failure = error instanceof Error && error.name === 'TableDataError' ? error.message : `${this.driver.source}: ${describeError(error)}`;
    this.#dueAt = this.#now() + Math.max(Math.min(RETRY_AFTER_FAILURE_MS, this.#refreshMs), 1);
  }
}
