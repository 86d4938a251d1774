import { activeTestFixtures } from '../rules/test-events/fixtures.ts';
import { activeRuleData } from './active.ts';
import { LookupTableError } from './errors.ts';

/** A lookup table as rules read it (StreamAlert's `LookupTables.get(table, key, default)`). */
export interface LookupTableReader {
  readonly name: string;
  /**
   * The key's value, or `fallback` when the table has no such key. A key that is present with
   * an empty value (null, [], '') gives that value, not the fallback, as in StreamAlert. Values
   * are read-only (shared by every rule and record). Throws a LookupTableError (a rule error,
   * reported with the fix) when the table is not configured, disabled, or did not load.
   */
  get<T = unknown>(key: string | number): T | undefined;
  get<T>(key: string | number, fallback: T): T;
  /** True when the table holds the key. */
  has(key: string | number): boolean;
}

/**
 * A lookup table of conf/lookup_tables.json, by name, for rules. Its data is in memory, loaded
 * before the records it serves (see docs/lookup-tables.md), so reading it is synchronous.
 * In `streamalert rules test` it answers from the test event's `test_fixtures` instead.
 *
 * @example
 *   import { lookupTable, rule } from 'streamalert';
 *
 *   export const duo_lookup_tables_example = rule({ logs: ['duo:authentication'], outputs: ['slack:sec'] }, (rec) =>
 *     lookupTable('dynamo-backed-table').get<string[]>('duo_blacklisted_browsers', []).includes(rec.access_device?.browser),
 *   );
 */
export function lookupTable(name: string): LookupTableReader {
  return {
    name,
    get: (key: string | number, fallback?: unknown) => {
      const found = lookupKey(name, key);
      return found.found ? found.value : fallback;
    },
    has: (key: string | number) => lookupKey(name, key).found,
  } as LookupTableReader;
}

function lookupKey(name: string, key: string | number): { readonly found: boolean; readonly value?: unknown } {
  if (typeof key !== 'string' && typeof key !== 'number') throw new LookupTableError(`lookup table '${name}': keys are text, got ${key === null ? 'null' : typeof key}`);
  const text = String(key);
  const fixtures = activeTestFixtures();
  const data = activeRuleData();
  if (fixtures !== undefined) {
    // As in StreamAlert, rules under test never read the real tables: a configured table the event gives no fixture for is empty.
    if (fixtures.tableNames.includes(name)) return fixtures.lookup(name, text);
    if (data?.tables.config.declared.has(name)) return { found: false };
  }
  if (data === undefined) throw new LookupTableError(`lookup table '${name}' cannot be read: no project is loaded (tables come from conf/lookup_tables.json of the project being run)`);
  return data.tables.table(name).lookup(text);
}
