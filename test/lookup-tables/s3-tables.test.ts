import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/classifier/classifier.ts';
import { loadProject } from '../../src/config/project.ts';
import { installRuleData } from '../../src/lookup-tables/active.ts';
import { S3TableDriver } from '../../src/lookup-tables/drivers/s3.ts';
import { loadEnrichment } from '../../src/lookup-tables/enrichment.ts';
import { lookupTable } from '../../src/lookup-tables/lookup.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { duoRecord, OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';

const REGION = { account: { region: 'us-east-1' } };
const MIN = 60_000;
const noClassifier = undefined as unknown as Classifier;

afterEach(() => installRuleData(undefined));

function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe.skipIf(noMoto)('S3 lookup tables against moto', () => {
  const s3 = new S3Client({ forcePathStyle: true });
  afterAll(() => s3.destroy());

  async function bucketWith(objects: Record<string, string | Buffer>): Promise<string> {
    const bucket = uniqueName('lookup-tables');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [key, body] of Object.entries(objects)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return bucket;
  }

  function enrichmentFor(tables: Record<string, unknown>, options: Parameters<typeof loadEnrichment>[1] = {}) {
    const dir = tempProject({ 'conf/lookup_tables.json': { enabled: true, tables } });
    return loadEnrichment({ dir, global: REGION }, options);
  }

  it('reads the table object with GetObject before the first batch, plain JSON or gzip', async () => {
    const bucket = await bucketWith({
      'plain.json': JSON.stringify({ ip_whitelist: ['2.2.2.2', '8.8.8.8'] }),
      'resource_map.json.gz': gzipSync(JSON.stringify({ 'host:securityiscool': { ip: '10.0.0.7' } })),
    });
    const enrichment = enrichmentFor({
      whitelists: { driver: 's3', bucket, key: 'plain.json' },
      hosts: { driver: 's3', bucket, key: 'resource_map.json.gz', compression: 'gzip' },
    });
    expect(enrichment.problems).toEqual([]);
    expect(() => lookupTable('whitelists').get('ip_whitelist')).toThrow(
      `lookup table 'whitelists' (s3://${bucket}/plain.json) is not loaded yet: tables from AWS are read before each batch of records (Pipeline.prepare), never while a rule runs`,
    );

    await enrichment.prepare([], noClassifier);

    expect(lookupTable('whitelists').get('ip_whitelist', [])).toEqual(['2.2.2.2', '8.8.8.8']);
    expect(lookupTable('hosts').get('host:securityiscool')).toEqual({ ip: '10.0.0.7' });
  });

  it('through the pipeline: Pipeline.prepare reads the table before the batch whose rules read it', async () => {
    const bucket = await bucketWith({ 'browsers.json': JSON.stringify({ duo_blacklisted_browsers: ['Netscape'] }) });
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'conf/lookup_tables.json': { enabled: true, tables: { browsers: { driver: 's3', bucket, key: 'browsers.json' } } },
      'rules/duo.ts':
        "import { rule, lookupTable } from 'streamalert';\n" +
        "export const duo_blocked_browser = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => lookupTable('browsers').get<string[]>('duo_blacklisted_browsers', []).includes(rec.access_device.browser));\n",
    });
    const pipeline = await Pipeline.load(loadProject(dir), { onEvent: () => {} });
    const batch = [{ ordinal: 1, value: duoRecord({ access_device: { browser: 'Netscape' } }) }];
    await pipeline.prepare(batch);
    expect(pipeline.processBatch(batch).map((alert) => alert.ruleName)).toEqual(['duo_blocked_browser']);
    expect(pipeline.stats.ruleErrors).toBe(0);
  });

  it('re-reads the object once cache_refresh_minutes have passed, and not before', async () => {
    const clock = manualClock();
    const bucket = await bucketWith({ 't.json': '{"k": "first"}' });
    const enrichment = enrichmentFor({ t: { driver: 's3', bucket, key: 't.json', cache_refresh_minutes: 10 } }, { now: clock.now });
    await enrichment.prepare([], noClassifier);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 't.json', Body: '{"k": "second"}' }));

    clock.advance(9 * MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('first');

    clock.advance(1 * MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toBe('second');
  });

  it('keeps an unchanged object without downloading it again (If-None-Match), and takes a changed one', async () => {
    const clock = manualClock();
    const bucket = await bucketWith({ 't.json': '{"k": {"v": 1}}' });
    const enrichment = enrichmentFor({ t: { driver: 's3', bucket, key: 't.json', cache_refresh_minutes: 1 } }, { now: clock.now });
    await enrichment.prepare([], noClassifier);
    const first = lookupTable('t').get('k');
    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    // The very same value: the object was not parsed again.
    expect(lookupTable('t').get('k')).toBe(first);
    expect(enrichment.tables.table('t').failure).toBeUndefined();

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 't.json', Body: '{"k": {"v": 2}}' }));
    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('t').get('k')).toEqual({ v: 2 });
  });

  it('a missing object or bucket: rules reading the table get the reason, a warning says it once, and the next try comes a minute later', async () => {
    const clock = manualClock();
    const warnings: string[] = [];
    const bucket = await bucketWith({});
    const enrichment = enrichmentFor(
      { gone: { driver: 's3', bucket, key: 'nope.json' }, nobucket: { driver: 's3', bucket: uniqueName('no-such-bucket'), key: 'k.json' } },
      { now: clock.now, onWarning: (message) => warnings.push(message) },
    );
    await enrichment.prepare([], noClassifier);
    await enrichment.prepare([], noClassifier);

    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^lookup table 'gone': s3://${bucket}/nope\\.json could not be read: NoSuchKey: `)),
      expect.stringMatching(/^lookup table 'nobucket': s3:\/\/no-such-bucket-.* could not be read: NoSuchBucket: /),
    ]);
    expect(() => lookupTable('gone').get('k')).toThrow(new RegExp(`^lookup table 'gone' did not load: s3://${bucket}/nope\\.json could not be read: NoSuchKey`));

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'nope.json', Body: '{"k": "here now"}' }));
    await enrichment.prepare([], noClassifier);
    expect(() => lookupTable('gone').get('k')).toThrow('did not load');
    clock.advance(MIN);
    await enrichment.prepare([], noClassifier);
    expect(lookupTable('gone').get('k')).toBe('here now');
  });

  it('refuses an object over max_size_mb, and a gzip object that inflates past it', async () => {
    const bucket = await bucketWith({
      'big.json': JSON.stringify({ k: 'x'.repeat(1024 * 1024) }),
      'bomb.json.gz': gzipSync(JSON.stringify({ k: 'y'.repeat(16 * 1024 * 1024) })),
      'list.json': '["not", "an", "object"]',
    });
    const warnings: string[] = [];
    const enrichment = enrichmentFor(
      {
        big: { driver: 's3', bucket, key: 'big.json', max_size_mb: 1 },
        bomb: { driver: 's3', bucket, key: 'bomb.json.gz', compression: 'gzip', max_size_mb: 1 },
        list: { driver: 's3', bucket, key: 'list.json' },
      },
      { onWarning: (message) => warnings.push(message) },
    );
    await enrichment.prepare([], noClassifier);
    expect(warnings).toEqual([
      `lookup table 'big': s3://${bucket}/big.json is 1,048,584 bytes, over this table's limit of 1,048,576 bytes (max_size_mb 1); raise max_size_mb, split the table, or use the dynamodb driver`,
      `lookup table 'bomb': s3://${bucket}/bomb.json.gz inflates to more, over this table's limit of 1,048,576 bytes (max_size_mb 1); raise max_size_mb, split the table, or use the dynamodb driver`,
      `lookup table 'list': s3://${bucket}/list.json holds a list, not a JSON object of keys and their values`,
    ]);
  });
});

describe('an S3 table object of 1 GiB', () => {
  let server: Server | undefined;
  afterEach(() => server?.closeAllConnections());
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('is refused from its Content-Length, without its body being read', async () => {
    let sent = 0;
    server = createServer((_request, response) => {
      // GetObject of a 1 GiB object: the headers, the first bytes, then nothing more unless read.
      response.writeHead(200, { 'content-length': String(1024 ** 3), 'content-type': 'application/json', etag: '"big"' });
      response.write('{"k": "');
      sent += 7;
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const aws = new AwsClients({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const driver = new S3TableDriver({ driver: 's3', bucket: 'huge', key: 'table.json', compression: false, cache_refresh_minutes: 10, max_size_mb: 64 }, aws);

    await expect(driver.load()).rejects.toThrow(
      "s3://huge/table.json is 1,073,741,824 bytes, over this table's limit of 67,108,864 bytes (max_size_mb 64); raise max_size_mb, split the table, or use the dynamodb driver",
    );
    expect(sent).toBe(7);
    aws.destroy();
  });
});
