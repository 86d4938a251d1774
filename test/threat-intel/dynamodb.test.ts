import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import type { InputRecord } from '../../src/input/splitters.ts';
import { installRuleData } from '../../src/lookup-tables/active.ts';
import { loadEnrichment } from '../../src/lookup-tables/enrichment.ts';
import { loadDetection } from '../../src/pipeline/load.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { OUTPUTS, tempProject } from '../support/rules-project.ts';

// Threat intel at scale: StreamAlert's DynamoDB IOC table (primary key ioc_value), asked per batch
// with BatchGetItem before the rules run, through Pipeline.prepare.

const MIN = 60_000;

const PROJECT = {
  ...OUTPUTS,
  'conf/schemas/packetbeat.json': { 'packetbeat:dns': { parser: 'json', schema: { client_ip: 'string', dns: {}, type: 'string' } } },
  'conf/normalized_types.json': { packetbeat: { sourceAddress: ['client_ip'], destinationDomain: ['name'] } },
  'rules/dns.ts':
    "import { rule, threatIntel } from 'streamalert';\n" +
    "export const dns_to_c2 = rule({ logs: ['packetbeat:dns'], outputs: ['slack:sec-alerts'] }, (rec) => threatIntel.matches(rec, 'domain'));\n" +
    "export const from_bad_ip = rule({ logs: ['packetbeat:dns'], outputs: ['slack:sec-alerts'] }, (rec) => threatIntel.matches(rec, 'ip'));\n",
};

const dns = (name: string, clientIp = '172.16.2.97') => ({ client_ip: clientIp, dns: { question: { name, type: 'A' } }, type: 'dns' });
const batchOf = (values: unknown[]): InputRecord[] => values.map((value, i) => ({ ordinal: i + 1, value }));

afterEach(() => installRuleData(undefined));

describe.skipIf(noMoto)('threat intel with a DynamoDB IOC table (moto)', () => {
  const client = new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client);
  afterAll(() => client.destroy());

  async function iocTable(items: Record<string, string>[]): Promise<string> {
    const name = uniqueName('threat-intel');
    await client.send(
      new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'ioc_value', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'ioc_value', KeyType: 'HASH' }] }),
    );
    for (let i = 0; i < items.length; i += 25) await doc.send(new BatchWriteCommand({ RequestItems: { [name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    return name;
  }

  async function pipelineFor(table: string, now?: () => number, extra: Record<string, unknown> = {}) {
    const dir = tempProject({ ...PROJECT, 'conf/threat_intel.json': { enabled: true, dynamodb_table_name: table, ...extra } });
    const project = loadProject(dir);
    const detection = await loadDetection(project);
    expect(detection.problems).toEqual([]);
    const warnings: string[] = [];
    const enrichment = loadEnrichment(project, { ...(now && { now }), onWarning: (message) => warnings.push(message) });
    return { pipeline: new Pipeline({ ...detection, enrichment, outputs: project.outputs }), warnings };
  }

  it("looks up a batch's values before its rules run, more than BatchGetItem's 100 a call", async () => {
    const table = await iocTable([
      { ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'c2_domain' },
      { ioc_value: '172.16.9.9', ioc_type: 'ip', sub_type: 'mal_ip' },
    ]);
    const { pipeline, warnings } = await pipelineFor(table);
    // 150 distinct domains and addresses in one batch, two of them known.
    const records = [...Array.from({ length: 148 }, (_, i) => dns(`host-${i}.example.org`, `172.16.3.${i}`)), dns('evil.com'), dns('fine.example.org', '172.16.9.9')];
    const batch = batchOf(records);

    await pipeline.prepare(batch);
    const alerts = pipeline.processBatch(batch);

    expect(warnings).toEqual([]);
    expect(alerts.map((alert) => [alert.ruleName, alert.record['streamalert:ioc']])).toEqual([
      ['dns_to_c2', { domain: ['evil.com'] }],
      ['from_bad_ip', { ip: ['172.16.9.9'] }],
    ]);
  });

  it('keeps answers, found or not, for cache_refresh_minutes, then asks again', async () => {
    let now = Date.UTC(2026, 0, 1);
    const table = await iocTable([{ ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'c2_domain' }]);
    const { pipeline } = await pipelineFor(table, () => now, { cache_refresh_minutes: 5 });
    const batch = batchOf([dns('evil.com')]);
    await pipeline.prepare(batch);
    expect(pipeline.processBatch(batch).map((alert) => alert.ruleName)).toEqual(['dns_to_c2']);

    await doc.send(new DeleteCommand({ TableName: table, Key: { ioc_value: 'evil.com' } }));
    now += 4 * MIN;
    const again = batchOf([dns('evil.com')]);
    await pipeline.prepare(again);
    expect(pipeline.processBatch(again).map((alert) => alert.ruleName)).toEqual(['dns_to_c2']);

    now += MIN;
    const later = batchOf([dns('evil.com')]);
    await pipeline.prepare(later);
    expect(pipeline.processBatch(later)).toEqual([]);
  });

  it('a table that does not exist: a warning, the values go unchecked, and the rules still run', async () => {
    const { pipeline, warnings } = await pipelineFor(uniqueName('no-such-iocs'));
    const batch = batchOf([dns('evil.com')]);
    await pipeline.prepare(batch);
    expect(pipeline.processBatch(batch)).toEqual([]);
    expect(pipeline.stats.ruleErrors).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/^threat intel: dynamodb table no-such-iocs-\S+: ResourceNotFoundException: .*; 2 values were not checked$/)]);
  });
});
