import type { LoadProblem } from '../config/load-problem.ts';
import { nearest } from '../config/nearest.ts';
import { lazyDocumentClient, tableAwsClients } from './aws.ts';
import { LOOKUP_TABLES_FILE, type LookupTablesConfig, type TableConfig } from './config.ts';
import type { TableDriver } from './drivers/driver.ts';
import { DynamoDbTableDriver } from './drivers/dynamodb.ts';
import { FileTableDriver } from './drivers/file.ts';
import { S3TableDriver } from './drivers/s3.ts';
import { LookupTableError } from './errors.ts';
import { LookupTable, type Clock } from './table.ts';

export interface LookupTablesOptions {
  readonly projectDir: string;
  /** For S3 and DynamoDB (conf/global.json account.region). */
  readonly region: string;
  readonly now?: Clock;
}

/**
 * A project's lookup tables (StreamAlert's LookupTablesCore): built from conf/lookup_tables.json,
 * local tables read at once (loadLocal), AWS ones before the first batch (refreshDue), each
 * re-read once its cache_refresh_minutes have passed.
 *
 * @example
 *   const tables = new LookupTables(config, { projectDir, region: 'us-east-1' });
 *   const problems = tables.loadLocal();
 *   await tables.refreshDue();
 *   tables.table('browsers').lookup('duo_blacklisted_browsers')
 */
export class LookupTables {
  readonly config: LookupTablesConfig;
  readonly #tables = new Map<string, LookupTable>();
  /** Tables whose driver could not be set up (a file path outside the project): named, not usable. */
  readonly #broken = new Map<string, string>();

  constructor(config: LookupTablesConfig, options: LookupTablesOptions) {
    this.config = config;
    if (!config.enabled) return;
    const now = options.now ?? Date.now;
    // One client set for every table, made on first use.
    let aws: ReturnType<typeof tableAwsClients> | undefined;
    const dynamodb = lazyDocumentClient(options.region);
    const driverFor = (table: TableConfig): TableDriver => {
      switch (table.driver) {
        case 's3':
          return new S3TableDriver(table, (aws ??= tableAwsClients(options.region)));
        case 'dynamodb':
          return new DynamoDbTableDriver(table, dynamodb);
        case 'file':
          return new FileTableDriver(options.projectDir, table);
      }
    };
    for (const [name, table] of config.tables) {
      try {
        this.#tables.set(name, new LookupTable(name, driverFor(table), table.cache_refresh_minutes * 60_000, now));
      } catch (error) {
        this.#broken.set(name, (error as Error).message);
      }
    }
  }

  get names(): string[] {
    return [...this.#tables.keys()];
  }

  /**
   * Reads the local (file) tables now, synchronously, so that a missing or broken file is a load
   * problem when the project loads rather than an error on every record.
   */
  loadLocal(): LoadProblem[] {
    const problems: LoadProblem[] = [...this.#broken].map(([name, message]) => problemOf(name, message));
    for (const table of this.#tables.values()) {
      if (table.driver.loadSync === undefined) continue;
      table.refreshSyncIfDue();
      if (table.failure !== undefined) problems.push(problemOf(table.name, table.failure));
    }
    return problems;
  }

  /** Re-reads every table whose time has come, together; returns what failed (each read that fails keeps the rows it had). */
  async refreshDue(): Promise<string[]> {
    const due = [...this.#tables.values()].filter((table) => table.isDue());
    await Promise.all(due.map((table) => table.refreshIfDue()));
    return due.flatMap((table) => (table.failure === undefined ? [] : [`lookup table '${table.name}': ${table.failure}`]));
  }

  /** The table a rule names; a LookupTableError saying why when it cannot be used. */
  table(name: string): LookupTable {
    const table = this.#tables.get(name);
    if (table !== undefined) return table;
    if (!this.config.declared.has(name)) {
      const guess = nearest(name, this.config.declared);
      const known = [...this.config.declared].join(', ') || 'none';
      throw new LookupTableError(`lookup table '${name}' is not in ${LOOKUP_TABLES_FILE}${guess ? `; did you mean '${guess}'?` : ` (tables: ${known})`}`);
    }
    if (!this.config.enabled) throw new LookupTableError(`lookup table '${name}' cannot be read: lookup tables are disabled; set "enabled": true in ${LOOKUP_TABLES_FILE}`);
    const broken = this.#broken.get(name);
    throw new LookupTableError(`lookup table '${name}' is disabled: ${broken ?? `its configuration in ${LOOKUP_TABLES_FILE} has a problem (see the warnings when the project loads)`}`);
  }
}

function problemOf(name: string, message: string): LoadProblem {
  return { kind: 'lookup-table', file: LOOKUP_TABLES_FILE, name, message: `${LOOKUP_TABLES_FILE}: lookup table '${name}': ${message}`, disables: `lookup table ${name} (rules reading it raise errors)` };
}
