import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { installRuleData } from '../../src/lookup-tables/active.ts';
import type { PipelineEvent } from '../../src/pipeline/events.ts';
import { loadDetection } from '../../src/pipeline/load.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { runRuleTests } from '../../src/rules/testing.ts';
import { Exclusions } from '../../src/threat-intel/exclusions.ts';
import { OUTPUTS, tempProject } from '../support/rules-project.ts';

// Threat intel with a local IOC table (ours) through the real loader, engine and pipeline, and in
// `rules test` with StreamAlert's test_fixtures; the rules are ports of StreamAlert's examples.

const ONELOGIN = {
  'conf/schemas/onelogin.json': {
    'onelogin:events': {
      parser: 'json',
      schema: { account_id: 'integer', event_type_id: 'integer', id: 'integer', ipaddr: 'string', user_name: 'string', proxy_ip: 'string' },
      configuration: { optional_top_level_keys: ['proxy_ip'] },
    },
  },
  // StreamAlert's v1 normalization: the keys each normalized type is read from.
  'conf/normalized_types.json': { onelogin: { sourceAddress: ['ipaddr'], destinationAddress: ['proxy_ip'] } },
};

const RULES = {
  'rules/onelogin/threat_intel.ts':
    "import { rule, threatIntel, IOC_KEY } from 'streamalert';\n" +
    '// StreamAlert: return ThreatIntel.IOC_KEY in rec and \'ip\' in rec[ThreatIntel.IOC_KEY]\n' +
    "export const onelogin_events_threat_intel_example = rule({ logs: ['onelogin:events'], outputs: ['slack:sec-alerts'] }, (rec) => IOC_KEY in rec && 'ip' in rec[IOC_KEY]);\n" +
    "export const onelogin_c2 = rule({ logs: ['onelogin:events'], outputs: ['slack:sec-alerts'] }, (rec) => threatIntel.indicators(rec).some((ioc) => ioc.sub_type === 'c2_ip'));\n",
};

const INDICATORS = [
  { ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' },
  { ioc_value: '203.0.113.66', ioc_type: 'ip', sub_type: 'c2_ip' },
  { ioc_value: '10.1.2.3', ioc_type: 'ip', sub_type: 'mal_ip' },
];

const onelogin = (fields: Record<string, unknown> = {}) => ({ account_id: 1234, event_type_id: 1, id: 123, ipaddr: '198.51.100.4', user_name: 'alice', ...fields });

async function pipelineOf(files: Record<string, string | object>) {
  const events: PipelineEvent[] = [];
  const dir = tempProject({ ...ONELOGIN, ...OUTPUTS, ...RULES, ...files });
  const pipeline = await Pipeline.load(loadProject(dir), { onEvent: (event) => events.push(event) });
  return { pipeline, events };
}

afterEach(() => installRuleData(undefined));

describe('threat intel with a local IOC file', () => {
  it("marks matching records with streamalert:ioc before the rules run, as StreamAlert's threat detection does; the alert carries it", async () => {
    const { pipeline } = await pipelineOf({
      'conf/threat_intel.json': { enabled: true, file: 'threat_intel/iocs.json', excluded_iocs: { ip: { '10.0.0.0/8': { comment: 'RFC1918' } } } },
      'threat_intel/iocs.json': INDICATORS,
    });
    expect(pipeline.problems).toEqual([]);

    const [alert, ...others] = pipeline.process(onelogin({ ipaddr: '1.1.1.2' }));
    expect(others).toEqual([]);
    expect(alert!.ruleName).toBe('onelogin_events_threat_intel_example');
    expect(alert!.record['streamalert:ioc']).toEqual({ ip: ['1.1.1.2'] });

    expect(pipeline.process(onelogin({ proxy_ip: '203.0.113.66' })).map((raised) => raised.ruleName)).toEqual(['onelogin_events_threat_intel_example', 'onelogin_c2']);
    expect(pipeline.process(onelogin()).map((raised) => raised.ruleName)).toEqual([]);
    // Excluded: in 10.0.0.0/8, although the file lists it.
    expect(pipeline.process(onelogin({ ipaddr: '10.1.2.3' })).map((raised) => raised.ruleName)).toEqual([]);
  });

  it('reads CSV with a header row', async () => {
    const { pipeline } = await pipelineOf({
      'conf/threat_intel.json': { enabled: true, file: 'threat_intel/iocs.csv' },
      'threat_intel/iocs.csv': 'ioc_value,ioc_type,sub_type\n1.1.1.2,ip,mal_ip\n203.0.113.66,ip,c2_ip\n',
    });
    expect(pipeline.process(onelogin({ ipaddr: '203.0.113.66' })).map((raised) => raised.ruleName)).toEqual(['onelogin_events_threat_intel_example', 'onelogin_c2']);
  });

  it('a streamalert:ioc key in the input is removed when nothing matched, so a record cannot pose as a match', async () => {
    const schema = ONELOGIN['conf/schemas/onelogin.json']['onelogin:events'];
    const { pipeline } = await pipelineOf({
      // A schema that lets the key through, as `{}` lets anything through in StreamAlert.
      'conf/schemas/onelogin.json': { 'onelogin:events': { ...schema, schema: { ...schema.schema, 'streamalert:ioc': {} } } },
      'conf/threat_intel.json': { enabled: true, file: 'iocs.json' },
      'iocs.json': INDICATORS,
    });
    const raised = pipeline.process({ ...onelogin(), 'streamalert:ioc': { ip: ['198.51.100.4'] } });
    expect(pipeline.stats.classified).toBe(1);
    expect(raised).toEqual([]);
    expect(pipeline.process({ ...onelogin({ ipaddr: '1.1.1.2' }), 'streamalert:ioc': { ip: ['198.51.100.4'] } })[0]!.record['streamalert:ioc']).toEqual({ ip: ['1.1.1.2'] });
  });

  it('threatIntel.matches() while threat intel is not enabled is a rule error saying the fix, not a rule that never fires', async () => {
    const { pipeline, events } = await pipelineOf({
      'rules/onelogin/threat_intel.ts': "import { rule, threatIntel } from 'streamalert';\nexport const uses_intel = rule({ logs: ['onelogin:events'], outputs: ['slack:sec-alerts'] }, (rec) => threatIntel.matches(rec));\n",
    });
    expect(pipeline.process(onelogin())).toEqual([]);
    expect(events).toMatchObject([
      {
        kind: 'rule-error',
        rule: 'uses_intel',
        error: 'ThreatIntelError: threat intel is not enabled, so no record ever matches: set "enabled": true in conf/threat_intel.json, with "file" (indicators in the project) or "dynamodb_table_name"',
      },
    ]);
  });

  it('problems name the fix: enabled without a source, a missing file, a bad entry, a bad exclusion', async () => {
    const messages = async (files: Record<string, string | object>) => (await pipelineOf(files)).pipeline.problems.map((problem) => [problem.kind, problem.message]);
    expect(await messages({ 'conf/threat_intel.json': { enabled: true } })).toEqual([
      ['threat-intel', 'conf/threat_intel.json: enabled, but with neither "file" (indicators in the project) nor "dynamodb_table_name"; add one'],
    ]);
    expect(await messages({ 'conf/threat_intel.json': { enabled: true, file: 'gone.csv' } })).toEqual([
      ['threat-intel', 'conf/threat_intel.json: gone.csv not found ("file" in conf/threat_intel.json is relative to the project folder)'],
    ]);
    expect(await messages({ 'conf/threat_intel.json': { enabled: true, file: 'i.json' }, 'i.json': [{ ioc_type: 'ip' }] })).toEqual([
      ['threat-intel', 'conf/threat_intel.json: i.json: entry 0 has no ioc_value; it must be a JSON list of {"ioc_value": "1.1.1.2", "ioc_type": "ip", "sub_type": "mal_ip"}, or CSV with a header row ioc_value,ioc_type,sub_type'],
    ]);
    expect(await messages({ 'conf/threat_intel.json': { enabled: true, file: 'i.json', excluded_iocs: { ip: { 'not-a-net': {} } } }, 'i.json': [] })).toEqual([
      ['threat-intel', "conf/threat_intel.json: excluded_iocs.ip: 'not-a-net' is not an IP address or network (e.g. 10.0.0.0/8)"],
    ]);
    expect(await messages({ 'conf/threat_intel.json': { enabled: true, file: 'i.json', normalized_ioc_typs: {} }, 'i.json': [] })).toEqual([
      ['threat-intel', "conf/threat_intel.json: unknown key 'normalized_ioc_typs'; did you mean 'normalized_ioc_types'?"],
    ]);
  });

  it("StreamAlert's own conf/threat_intel.json (disabled, a DynamoDB table name) loads with no problem", async () => {
    const { pipeline } = await pipelineOf({
      'conf/threat_intel.json': {
        dynamodb_table_name: 'table_name',
        enabled: false,
        excluded_iocs: { ip: { '10.0.0.0/8': { comment: 'RFC1918' } } },
        normalized_ioc_types: { domain: ['destinationDomain'], ip: ['sourceAddress', 'destinationAddress', 'deviceAddress'], md5: ['fileHash'] },
      },
    });
    expect(pipeline.problems).toEqual([]);
  });
});

describe('excluded IOCs', () => {
  it('ip exclusions are networks; with any, a value that is not an IP address is skipped; other types are exact values', () => {
    const excluded = new Exclusions({ ip: { '10.0.0.0/8': {}, '192.0.2.1': {}, 'fd00::/8': {} }, domain: ['example.com'] });
    expect(['10.200.0.1', '192.0.2.1', 'fd00::1', 'ec2-1-2-3-4.compute.amazonaws.com', '::ffff:10.0.0.1'].map((ip) => excluded.has('ip', ip))).toEqual([true, true, true, true, true]);
    expect(['1.1.1.2', '192.0.2.2', '2001:db8::1'].map((ip) => excluded.has('ip', ip))).toEqual([false, false, false]);
    expect([excluded.has('domain', 'example.com'), excluded.has('domain', 'evil.com')]).toEqual([true, false]);
    expect(new Exclusions({}).has('ip', 'not an ip')).toBe(false);
  });
});

describe('rules test with test_fixtures (StreamAlert ports)', () => {
  it('threat_intel fixtures stand in for the IOC table, lookup_tables fixtures for the tables, with StreamAlert\'s disabled confs', async () => {
    const dir = tempProject({
      ...ONELOGIN,
      ...OUTPUTS,
      'conf/schemas/duo.json': { 'duo:authentication': { parser: 'json', schema: { access_device: {}, result: 'string', username: 'string' } } },
      'conf/threat_intel.json': { dynamodb_table_name: 'table_name', enabled: false },
      'conf/lookup_tables.json': { enabled: false, tables: { 'dynamo-backed-table': { driver: 'dynamodb', table: 'dynamodb-table-name', partition_key: 'partition-key', value_key: 'value-column' } } },
      'rules/onelogin/onelogin_events_threat_intel_example.ts':
        "import { rule, IOC_KEY } from 'streamalert';\nexport const onelogin_events_threat_intel_example = rule({ logs: ['onelogin:events'], outputs: ['slack:sec-alerts'] }, (rec) => IOC_KEY in rec && 'ip' in rec[IOC_KEY]);\n",
      'rules/onelogin/onelogin_events_threat_intel_example.json': [
        {
          data: onelogin({ ipaddr: '1.1.1.2' }),
          description: 'OneLogin event from a malicious IP address as defined by threat intel',
          log: 'onelogin:events',
          service: 'streamalert_app',
          source: 'prefix_cluster_onelogin-events-app-name_app',
          trigger_rules: ['onelogin_events_threat_intel_example'],
          test_fixtures: { threat_intel: [{ ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' }, { ioc_value: 'evil.com', ioc_type: 'domain', sub_type: 'c2_domain' }] },
        },
        { data: onelogin({ ipaddr: '1.1.1.2' }), description: 'no fixtures, no match', log: 'onelogin:events', service: 'streamalert_app', source: 's', trigger_rules: [] },
      ],
      'rules/duo/duo_lookup_tables_example.ts':
        "import { rule, lookupTable } from 'streamalert';\n" +
        "export const duo_lookup_tables_example = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => lookupTable('dynamo-backed-table').get<string[]>('duo_blacklisted_browsers', []).includes(rec.access_device.browser));\n",
      'rules/duo/duo_lookup_tables_example.json': [
        {
          data: { access_device: { browser: 'Netscape' }, result: 'SUCCESS', username: 'user.name@email.com' },
          description: 'a browser the lookup table lists',
          log: 'duo:authentication',
          service: 'streamalert_app',
          source: 'prefix_cluster_duo_auth_sm-app-name_app',
          trigger_rules: ['duo_lookup_tables_example'],
          test_fixtures: { lookup_tables: { 'dynamo-backed-table': { duo_blacklisted_browsers: ['Netscape'] } } },
        },
        { data: { access_device: { browser: 'Netscape' }, result: 'SUCCESS', username: 'u' }, description: 'no fixture: the table is empty', log: 'duo:authentication', service: 'streamalert_app', source: 's', trigger_rules: [] },
      ],
    });
    const project = loadProject(dir);
    const { schemas, rules, problems } = await loadDetection(project);
    expect(problems).toEqual([]);
    const report = runRuleTests({ dir, schemas, outputs: project.outputs }, rules, { problems });
    expect(report.outcomes.map((outcome) => [outcome.event.description, outcome.passed, outcome.firedRules, outcome.errors])).toEqual([
      ['a browser the lookup table lists', true, ['duo_lookup_tables_example'], []],
      ['no fixture: the table is empty', true, [], []],
      ['OneLogin event from a malicious IP address as defined by threat intel', true, ['onelogin_events_threat_intel_example'], []],
      ['no fixtures, no match', true, [], []],
    ]);
  });
});
