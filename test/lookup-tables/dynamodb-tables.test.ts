import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/classifier/classifier.ts';
import { installRuleData } from '../../src/lookup-tables/active.ts';
import { loadEnrichment } from '../../src/lookup-tables/enrichment.ts';
import { lookupTable } from '../../src/lookup-tables/lookup.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { tempProject } from '../support/rules-project.ts';

const REGION = { account: { region: 'us-east-1' } };
const MIN = 60_000;
const noClassifier = undefined as unknown as Classifier;

afterEach(() => installRuleData(undefined));

describe.skipIf(noMoto)('DynamoDB lookup tables against moto', () => {
  const client = new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client);
  afterAll(() => client.destroy());

  async function tableWith(keys: { partition: string; sort?: string }, items: Record<string, unknown>[]): Promise<string> {
    const name = uniqueName('lookups');
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: keys.partition, AttributeType: 'S' }, ...(keys.sort ? [{ AttributeName: keys.sort, AttributeType: 'S' as const }] : [])],
        KeySchema: [{ AttributeName: keys.partition, KeyType: 'HASH' }, ...(keys.sort ? [{ AttributeName: keys.sort, KeyType: 'RANGE' as const }] : [])],
      }),
    );
    for (let i = 0; i < items.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    return name;
  }

  function enrichmentFor(tables: Record<string, unknown>, options: Parameters<typeof loadEnrichment>[1] = {}) {
    const dir = tempProject({ 'conf/lookup_tables.json': { enabled: true, tables } });
    return loadEnrichment({ dir, global: REGION }, options);
  }

  it("reads the table whole before the first batch: StreamAlert's partition key and value column, values as JSON (sets as lists)", async () => {
    const table = await tableWith({ partition: 'partition-key' }, [
      { 'partition-key': 'duo_blacklisted_browsers', 'value-column': ['Netscape', 'Mosaic'], other: 'ignored' },
      { 'partition-key': 'admins', 'value-column': new Set(['alice']) },
      { 'partition-key': 'limits', 'value-column': { max: 3, on: true } },
      { 'partition-key': 'no-value' },
    ]);
    const enrichment = enrichmentFor({
      'dynamo-backed-table': { driver: 'dynamodb', table, partition_key: 'partition-key', value_key: 'value-column', cache_refresh_minutes: 3, consistent_read: false },
    });
    await enrichment.prepare([], noClassifier);

    const lookups = lookupTable('dynamo-backed-table');
    expect(lookups.get('duo_blacklisted_browsers', [])).toEqual(['Netscape', 'Mosaic']);
    expect(lookups.get('admins')).toEqual(['alice']);
    expect(lookups.get('limits')).toEqual({ max: 3, on: true });
    // StreamAlert reads an item without the value column as a key with no value.
    expect(lookups.get('no-value', 'default')).toBe('default');
    expect(enrichment.tables.table('dynamo-backed-table').size).toBe(3);
  });

  it('with a sort key, keys are partition:sort (or the configured key_delimiter); tables of several pages are read to the end', async () => {
    const items = Array.from({ length: 1200 }, (_, i) => ({ host: `host-${i}`, kind: 'dns', meta: { ip: `10.0.${Math.floor(i / 256)}.${i % 256}`, pad: 'p'.repeat(1000) } }));
    const table = await tableWith({ partition: 'host', sort: 'kind' }, items);
    const enrichment = enrichmentFor({
      dns: { driver: 'dynamodb', table, partition_key: 'host', sort_key: 'kind', value_key: 'meta' },
      dns_pipe: { driver: 'dynamodb', table, partition_key: 'host', sort_key: 'kind', value_key: 'meta', key_delimiter: '|' },
    });
    await enrichment.prepare([], noClassifier);
    expect(enrichment.tables.table('dns').size).toBe(1200);
    expect(lookupTable('dns').get('host-1199:dns')).toMatchObject({ ip: '10.0.4.175' });
    expect(lookupTable('dns_pipe').get('host-7|dns')).toMatchObject({ ip: '10.0.0.7' });
  });

  it('is re-read after cache_refresh_minutes', async () => {
    let now = Date.UTC(2026, 0, 1);
    const table = await tableWith({ partition: 'k' }, [{ k: 'a', v: 1 }]);
    const enrichment = enrichmentFor({ t: { driver: 'dynamodb', table, partition_key: 'k', value_key: 'v', cache_refresh_minutes: 3 } }, { now: () => now });
    await enrichment.prepare([], noClassifier);
    await doc.send(new PutCommand({ TableName: table, Item: { k: 'a', v: 2 } }));
    now += 2 * MIN;
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('a')).toBe(1);
    now += MIN;
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('a')).toBe(2);
  });

  it('refuses a table with more items than cache_maximum_key_count, or larger than max_size_mb, keeping what it held', async () => {
    let now = Date.UTC(2026, 0, 1);
    const warnings: string[] = [];
    const table = await tableWith({ partition: 'k' }, [
      { k: 'a', v: 'x' },
      { k: 'b', v: 'y' },
      { k: 'c', v: 'z' },
    ]);
    const big = await tableWith({ partition: 'k' }, Array.from({ length: 3 }, (_, i) => ({ k: `k${i}`, v: 'x'.repeat(400_000) })));
    const enrichment = enrichmentFor(
      {
        counted: { driver: 'dynamodb', table, partition_key: 'k', value_key: 'v', cache_maximum_key_count: 3, cache_refresh_minutes: 1 },
        sized: { driver: 'dynamodb', table: big, partition_key: 'k', value_key: 'v', max_size_mb: 1 },
      },
      { now: () => now, onWarning: (message) => warnings.push(message) },
    );
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('counted').get('c')).toBe('z');
    expect(warnings).toEqual([
      `lookup table 'sized': dynamodb table ${big} holds more, over this table's limit of 1,048,576 bytes (max_size_mb 1); raise max_size_mb or split the table`,
    ]);

    await doc.send(new PutCommand({ TableName: table, Item: { k: 'd', v: 'w' } }));
    now += MIN;
    await enrichment.prepare([], noClassifier);
    expect(warnings[1]).toBe(
      `lookup table 'counted': dynamodb table ${table} holds more than 3 items (cache_maximum_key_count); the table is read whole (rules cannot wait for a key), so raise cache_maximum_key_count, or set it to 0 and let max_size_mb bound the table`,
    );
    expect(lookupTable('counted').get('c')).toBe('z');
    expect(lookupTable('counted').get('d', 'not yet')).toBe('not yet');
  });

  it('a table that does not exist: rules reading it get the reason', async () => {
    const warnings: string[] = [];
    const enrichment = enrichmentFor({ gone: { driver: 'dynamodb', table: uniqueName('no-such-table'), partition_key: 'k', value_key: 'v' } }, { onWarning: (message) => warnings.push(message) });
    await enrichment.prepare([], noClassifier);
    expect(warnings).toEqual([expect.stringMatching(/^lookup table 'gone': dynamodb table no-such-table-\S+ could not be read: ResourceNotFoundException: /)]);
    expect(() => lookupTable('gone').get('k')).toThrow(/^lookup table 'gone' did not load: dynamodb table no-such-table-\S+ could not be read: ResourceNotFoundException/);
  });
});
