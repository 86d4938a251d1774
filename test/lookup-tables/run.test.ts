import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { streamalert } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { duoRecord, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

// `streamalert run` end to end, in its own process, with a rule reading a local lookup table and
// a rule matching threat intel from a local IOC file.

const RULES =
  "import { rule, lookupTable, threatIntel } from 'streamalert';\n" +
  "export const duo_blocked_browser = rule({ logs: ['duo:authentication'], outputs: ['file:audit'] }, (rec) =>\n" +
  "  lookupTable('browsers').get<string[]>('duo_blacklisted_browsers', []).includes(rec.access_device.browser));\n" +
  "export const duo_from_bad_ip = rule({ logs: ['duo:authentication'], outputs: ['file:audit'] }, (rec) => threatIntel.matches(rec, 'ip'));\n";

function project(files: Record<string, string | object> = {}): string {
  const schema = SCHEMAS['conf/schemas/duo.json']['duo:authentication'];
  return tempProject({
    'conf/schemas/duo.json': { 'duo:authentication': { ...schema, schema: { ...schema.schema, ip: 'string' } } },
    'conf/normalized_types.json': { duo: { sourceAddress: ['ip'] } },
    'conf/outputs.json': { file: ['audit'] },
    'conf/output_settings.json': { file: { audit: { path: 'alerts.jsonl' } } },
    'conf/lookup_tables.json': { enabled: true, tables: { browsers: { driver: 'file', path: 'lookup_tables/browsers.json' } } },
    'conf/threat_intel.json': { enabled: true, file: 'threat_intel/iocs.csv', excluded_iocs: { ip: { '10.0.0.0/8': { comment: 'RFC1918' } } } },
    'lookup_tables/browsers.json': { duo_blacklisted_browsers: ['Netscape'] },
    'threat_intel/iocs.csv': 'ioc_value,ioc_type,sub_type\n1.1.1.2,ip,mal_ip\n',
    'rules/duo.ts': RULES,
    ...files,
  });
}

function input(dir: string, records: object[]): string {
  const path = join(dir, 'duo.ndjson');
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join('\n'));
  return path;
}

const duo = (browser: string, ip: string) => duoRecord({ access_device: { ...(duoRecord().access_device as object), browser }, ip });

describe('streamalert run with a local lookup table and local threat intel', () => {
  it('raises the alerts the table and the indicators call for, and delivers them', () => {
    const dir = project();
    const records = [duo('Netscape', '198.51.100.1'), duo('Chrome', '1.1.1.2'), duo('Chrome', '198.51.100.1')];
    const run = streamalert(['--project', dir, 'run', '--input', input(dir, records)], { env: isolatedEnv() });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const delivered = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    // Deliveries to one output run side by side: the file's lines need not follow the input's order.
    expect(delivered.map((alert) => [alert.rule_name, alert.record['streamalert:ioc'] ?? null]).sort()).toEqual([
      ['duo_blocked_browser', null],
      ['duo_from_bad_ip', { ip: ['1.1.1.2'] }],
    ]);
  });

  it('a missing table file is a load problem: said at start, the rules reading it fail per record, and the run exits 1', () => {
    const dir = project({ 'conf/lookup_tables.json': { enabled: true, tables: { browsers: { driver: 'file', path: 'lookup_tables/gone.json' } } } });
    const run = streamalert(['--project', dir, 'run', '--input', input(dir, [duo('Netscape', '198.51.100.1')])], { env: isolatedEnv() });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain(
      "warning: conf/lookup_tables.json: lookup table 'browsers': lookup_tables/gone.json not found (the table's path in conf/lookup_tables.json is relative to the project folder); disabled until fixed: lookup table browsers (rules reading it raise errors)",
    );
    expect(run.stderr).toContain("lookup table 'browsers' did not load: lookup_tables/gone.json not found");
  });

  it.skipIf(noMoto)('reads a table from S3 before the rules of each batch (against moto)', async () => {
    const aws = new AwsClients();
    const bucket = uniqueName('lookup');
    try {
      const s3 = await aws.s3();
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'browsers.json', Body: JSON.stringify({ duo_blacklisted_browsers: ['Mosaic'] }) }));
    } finally {
      aws.destroy();
    }
    const dir = project({ 'conf/lookup_tables.json': { enabled: true, tables: { browsers: { driver: 's3', bucket, key: 'browsers.json' } } } });
    const run = streamalert(['--project', dir, 'run', '--input', input(dir, [duo('Mosaic', '198.51.100.1'), duo('Netscape', '198.51.100.1')])], { env: isolatedEnv() });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const delivered = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(delivered.map((alert) => [alert.rule_name, alert.record.access_device.browser])).toEqual([['duo_blocked_browser', 'Mosaic']]);
  });
});
