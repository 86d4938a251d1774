import { configProblems } from '../config/validate.ts';
import { nearest } from '../config/nearest.ts';
import { z } from '../config/zod.ts';
import type { LoadProblem } from '../config/load-problem.ts';

export const LOOKUP_TABLES_FILE = 'conf/lookup_tables.json';

/** The drivers: StreamAlert's two, and `file` (ours) for a JSON file in the project. */
export const DRIVERS = ['s3', 'dynamodb', 'file'] as const;
export type DriverName = (typeof DRIVERS)[number];

/**
 * Ours, on every driver: the most a table may hold, so one oversized object cannot take the
 * process's memory. JSON text of 64 MiB parses to a few hundred MiB of objects.
 */
const maxSizeMb = z.number().int().min(1).max(1024).default(64);
const minutes = z.number().min(0).max(7 * 24 * 60);
/** StreamAlert's `compression`: false, or 'gzip' (true is read as gzip, as StreamAlert's truthiness does). */
const compression = z.union([z.boolean(), z.literal('gzip')]).default(false);

const S3TableSchema = z.strictObject({
  driver: z.literal('s3'),
  bucket: z.string().min(1),
  key: z.string().min(1),
  compression,
  cache_refresh_minutes: minutes.default(10),
  max_size_mb: maxSizeMb,
});

const DynamoDbTableSchema = z.strictObject({
  driver: z.literal('dynamodb'),
  table: z.string().min(1),
  partition_key: z.string().min(1),
  sort_key: z.string().min(1).optional(),
  value_key: z.string().min(1),
  key_delimiter: z.string().min(1).default(':'),
  consistent_read: z.boolean().default(true),
  cache_refresh_minutes: minutes.default(3),
  /** The most items held: the table is read whole, so a table with more is refused. 0: no count limit. */
  cache_maximum_key_count: z.number().int().min(0).default(0),
  max_size_mb: maxSizeMb,
});

const FileTableSchema = z.strictObject({
  driver: z.literal('file'),
  /** Relative to the project folder, inside it. */
  path: z.string().min(1),
  compression,
  cache_refresh_minutes: minutes.default(1),
  max_size_mb: maxSizeMb,
});

export type S3TableConfig = z.output<typeof S3TableSchema>;
export type DynamoDbTableConfig = z.output<typeof DynamoDbTableSchema>;
export type FileTableConfig = z.output<typeof FileTableSchema>;
export type TableConfig = S3TableConfig | DynamoDbTableConfig | FileTableConfig;

const SCHEMAS = { s3: S3TableSchema, dynamodb: DynamoDbTableSchema, file: FileTableSchema } as const;

const TopSchema = z.strictObject({
  enabled: z.boolean().default(false),
  tables: z.record(z.string(), z.unknown()).default({}),
});

export interface LookupTablesConfig {
  readonly enabled: boolean;
  /** The tables that are usable, by name. */
  readonly tables: ReadonlyMap<string, TableConfig>;
  /** Every table named in the file, usable or not: a rule naming one of these is not a typo. */
  readonly declared: ReadonlySet<string>;
}

/**
 * Checks conf/lookup_tables.json (StreamAlert's format) as parsed JSON, table by table: a table
 * whose configuration is wrong is a problem that disables only that table.
 *
 * @example
 *   parseLookupTablesConfig({ enabled: true, tables: { browsers: { driver: 'file', path: 'lookup_tables/browsers.json' } } })
 *   // { config: { enabled: true, tables: Map { 'browsers' => {..., cache_refresh_minutes: 1} } }, problems: [] }
 */
export function parseLookupTablesConfig(raw: unknown): { config: LookupTablesConfig; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const problem = (message: string, disables: string, name?: string) =>
    problems.push({ kind: 'lookup-table', file: LOOKUP_TABLES_FILE, ...(name !== undefined && { name }), message, disables });
  const top = z.safeParse(TopSchema, raw, { reportInput: true });
  if (!top.success) {
    problem(configProblems(TopSchema, top.error.issues, { file: LOOKUP_TABLES_FILE }).join('; '), 'every lookup table');
    return { config: { enabled: false, tables: new Map(), declared: new Set() }, problems };
  }
  const tables = new Map<string, TableConfig>();
  for (const [name, table] of Object.entries(top.data.tables)) {
    const driver = (table as { driver?: unknown } | null)?.driver;
    if (typeof driver !== 'string' || !(DRIVERS as readonly string[]).includes(driver)) {
      const guess = typeof driver === 'string' ? nearest(driver, [...DRIVERS]) : undefined;
      const got = driver === undefined ? 'none' : `'${String(driver)}'`;
      problem(`${LOOKUP_TABLES_FILE}: tables.${name}.driver must be one of ${DRIVERS.map((d) => `'${d}'`).join(', ')} (got ${got})${guess ? `; did you mean '${guess}'?` : ''}`, `lookup table ${name}`, name);
      continue;
    }
    const schema = SCHEMAS[driver as DriverName];
    const parsed = z.safeParse(schema, table, { reportInput: true });
    if (parsed.success) tables.set(name, parsed.data);
    else problem(configProblems(schema, parsed.error.issues, { file: LOOKUP_TABLES_FILE, at: ['tables', name] }).join('; '), `lookup table ${name}`, name);
  }
  return { config: { enabled: top.data.enabled, tables, declared: new Set(Object.keys(top.data.tables)) }, problems };
}
