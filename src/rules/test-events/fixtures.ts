import { isPlainObject } from '../../classifier/record.ts';

/** One threat-intel indicator a test event provides, in StreamAlert's fixture format. */
export interface ThreatIntelFixture {
  /** The indicator itself: an IP, a hash, a domain. */
  readonly ioc_value: string;
  /** `ip`, `md5`, `domain`, ...: the datatype it is matched against (StreamAlert's fixtures give it; its mocks do not need it). */
  readonly ioc_type?: string;
  readonly sub_type?: string;
}

/**
 * The lookup-table and threat-intel data one test event's rules see instead of the real tables
 * (StreamAlert's `test_fixtures`). In `rules test` every event has one, empty when the event
 * gives none: as in StreamAlert, rules under test never read the real tables.
 *
 * @example
 *   fixtures.lookup('dynamo-backed-table', 'duo_blacklisted_browsers')  // { found: true, value: ['Netscape'] }
 *   fixtures.threatIntelMatches(['1.1.1.2', '10.0.0.1'])                // [{ ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' }]
 */
export class TestFixtures {
  static readonly NONE = new TestFixtures({}, []);

  readonly #tables: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly #indicators: ReadonlyMap<string, ThreatIntelFixture>;

  constructor(lookupTables: Readonly<Record<string, Readonly<Record<string, unknown>>>>, threatIntel: readonly ThreatIntelFixture[]) {
    this.#tables = lookupTables;
    // Keyed by value, a later entry replacing an earlier one, as StreamAlert's mocks keep them.
    this.#indicators = new Map(threatIntel.map((indicator) => [indicator.ioc_value, indicator]));
  }

  /** The table names the event gives fixtures for. */
  get tableNames(): string[] {
    return Object.keys(this.#tables);
  }

  /** A key's value in a fixture table; `found: false` for a table or key the event does not give. */
  lookup(table: string, key: string): { readonly found: boolean; readonly value?: unknown } {
    const rows = Object.hasOwn(this.#tables, table) ? this.#tables[table]! : undefined;
    return rows !== undefined && Object.hasOwn(rows, key) ? { found: true, value: rows[key] } : { found: false };
  }

  /** The indicators whose value is among `values` (StreamAlert's threat-intel query, answered from the fixtures). */
  threatIntelMatches(values: readonly string[]): ThreatIntelFixture[] {
    const wanted = new Set(values);
    return [...this.#indicators.values()].filter((indicator) => wanted.has(indicator.ioc_value));
  }
}

let active: TestFixtures | undefined;

/**
 * The fixtures of the test event whose rules are running, or undefined outside `rules test`.
 * The lookup-table and threat-intel code reads this first: while it is set, they answer from it
 * and never from the configured tables.
 *
 * @example
 *   const fixtures = activeTestFixtures();
 *   if (fixtures) return fixtures.lookup(table, key).value ?? fallback;
 */
export function activeTestFixtures(): TestFixtures | undefined {
  return active;
}

/** Runs `work` (synchronous, as rules are) with `fixtures` active, and restores what was active before. */
export function withTestFixtures<T>(fixtures: TestFixtures, work: () => T): T {
  const before = active;
  active = fixtures;
  try {
    return work();
  } finally {
    active = before;
  }
}

const FIXTURE_KEYS = ['lookup_tables', 'threat_intel'];

/**
 * Checks a test event's `test_fixtures`: `lookup_tables` is `{table: {key: value}}`, `threat_intel`
 * a list of `{ioc_value, ioc_type?, sub_type?}` (the shape of src/threat-intel's Indicator). Returns the fixtures and warnings for keys it
 * does not know (StreamAlert ignores them), or the problem.
 *
 * @example
 *   parseTestFixtures({ threat_intel: [{ ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' }] })
 */
export function parseTestFixtures(raw: unknown): { fixtures: TestFixtures; warnings: string[] } | string {
  if (raw === undefined) return { fixtures: TestFixtures.NONE, warnings: [] };
  if (!isPlainObject(raw)) return 'test_fixtures must be an object: {"lookup_tables": {...}, "threat_intel": [...]}';
  const warnings = Object.keys(raw)
    .filter((key) => !FIXTURE_KEYS.includes(key))
    .map((key) => `unknown key '${key}' in test_fixtures is ignored (known: ${FIXTURE_KEYS.join(', ')})`);

  const tables = raw.lookup_tables ?? {};
  if (!isPlainObject(tables)) return 'test_fixtures.lookup_tables must be an object of tables: {"table-name": {"lookup-key": value}}';
  for (const [table, rows] of Object.entries(tables)) {
    if (!isPlainObject(rows)) return `test_fixtures.lookup_tables.${table} must be an object of keys and their values: {"lookup-key": value}`;
  }

  const indicators = raw.threat_intel ?? [];
  if (!Array.isArray(indicators)) return 'test_fixtures.threat_intel must be a list of indicators: [{"ioc_value": "1.2.3.4", "ioc_type": "ip", "sub_type": "mal_ip"}]';
  for (const [i, indicator] of indicators.entries()) {
    const where = `test_fixtures.threat_intel[${i}]`;
    if (!isPlainObject(indicator)) return `${where} must be an object: {"ioc_value": "1.2.3.4", "ioc_type": "ip", "sub_type": "mal_ip"}`;
    if (typeof indicator.ioc_value !== 'string' || indicator.ioc_value === '') return `${where} needs 'ioc_value' (text)`;
    for (const key of ['ioc_type', 'sub_type']) {
      if (indicator[key] !== undefined && typeof indicator[key] !== 'string') return `${where}.${key} must be text`;
    }
  }
  return { fixtures: new TestFixtures(tables as Record<string, Record<string, unknown>>, indicators as ThreatIntelFixture[]), warnings };
}
