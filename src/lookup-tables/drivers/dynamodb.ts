import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeError } from '../../observability/describe-error.ts';
import { jsonValue } from '../aws.ts';
import type { DynamoDbTableConfig } from '../config.ts';
import { MiB, rowsOf, tooLarge, type TableRows } from '../decode.ts';
import { TableDataError } from '../errors.ts';
import type { TableDriver } from './driver.ts';

/**
 * StreamAlert's DynamoDB driver, read whole: StreamAlert fetches a key with GetItem when a rule
 * first asks for it, which a synchronous rule cannot wait for, so the table is scanned (pages,
 * only the key and value columns) and refreshed every cache_refresh_minutes. The key of an item
 * is its partition key, or `partition<key_delimiter>sort` with a sort key, as in StreamAlert.
 * `cache_maximum_key_count` bounds the items held (a table with more is refused, not cut) and
 * max_size_mb their size.
 *
 * @example
 *   const rows = await new DynamoDbTableDriver({ driver: 'dynamodb', table: 'lookups', partition_key: 'pk', value_key: 'v', ... }, client).load();
 */
export class DynamoDbTableDriver implements TableDriver {
  readonly source: string;
  readonly #config: DynamoDbTableConfig;
  readonly #client: () => Promise<DynamoDBDocumentClient>;

  constructor(config: DynamoDbTableConfig, client: () => Promise<DynamoDBDocumentClient>) {
    this.#config = config;
    this.#client = client;
    this.source = `dynamodb table ${config.table}`;
  }

  async load(): Promise<TableRows> {
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const doc = await this.#client();
    const { table, partition_key, sort_key, value_key, key_delimiter, cache_maximum_key_count } = this.#config;
    const maxBytes = this.#config.max_size_mb * MiB;
    const names: Record<string, string> = { '#p': partition_key, '#v': value_key, ...(sort_key !== undefined && { '#s': sort_key }) };
    const rows: [string, unknown][] = [];
    let bytes = 0;
    let start: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await doc.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: this.#config.consistent_read,
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: names,
            ...(start !== undefined && { ExclusiveStartKey: start }),
          }),
        );
      } catch (error) {
        throw new TableDataError(`${this.source} could not be read: ${describeError(error)}`, { cause: error });
      }
      for (const item of page.Items ?? []) {
        // An item without the value column is a key with no value, as StreamAlert reads it: absent.
        if (!Object.hasOwn(item, value_key)) continue;
        const key = sort_key === undefined ? String(item[partition_key]) : `${String(item[partition_key])}${key_delimiter}${String(item[sort_key])}`;
        const value = jsonValue(item[value_key]);
        rows.push([key, value]);
        if (cache_maximum_key_count > 0 && rows.length > cache_maximum_key_count) {
          throw new TableDataError(
            `${this.source} holds more than ${cache_maximum_key_count.toLocaleString('en-US')} items (cache_maximum_key_count); the table is read whole (rules cannot wait for a key), so raise cache_maximum_key_count, or set it to 0 and let max_size_mb bound the table`,
          );
        }
        bytes += key.length + (JSON.stringify(value)?.length ?? 0);
        if (bytes > maxBytes) throw tooLarge(this.source, 'holds more', maxBytes, 'raise max_size_mb or split the table');
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return rowsOf(rows);
  }
}
