import type { TableRows } from '../decode.ts';

/**
 * Where a table's data comes from. A driver reads the whole table at once (StreamAlert's S3
 * driver does; for DynamoDB see drivers/dynamodb.ts), because rules are synchronous and read
 * tables between two awaits: nothing can be fetched while a rule runs.
 */
export interface TableDriver {
  /** The source, for messages: `s3://bucket/key`, `lookup_tables/browsers.json`, `dynamodb table lookups`. */
  readonly source: string;
  /** The table's rows; undefined when the source has not changed since the last load (nothing re-read). */
  load(): Promise<TableRows | undefined>;
  /** Synchronous load, for local sources: read when the project loads, before any record. */
  loadSync?(): TableRows | undefined;
}
