import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../support/secrets.ts';

// A small StreamAlert 3 checkout in StreamAlert's formats, written for these tests (not copied
// from StreamAlert): conf/, rules with test events, matchers/, a publisher of its own.

export const DUO_SCHEMA = {
  'duo:authentication': {
    parser: 'json',
    schema: { access_device: {}, factor: 'string', ip: 'string', reason: 'string', result: 'string', timestamp: 'integer', user: {} },
  },
};

export const NORMALIZED_TYPES = { duo: { sourceAddress: ['ip'] } };
export const LOOKUP_TABLES = { enabled: false, tables: { browsers: { driver: 's3', bucket: 'acme-lookup', key: 'browsers.json', compression: false, cache_refresh_minutes: 10 } } };
export const THREAT_INTEL = { enabled: false, dynamodb_table_name: 'acme_iocs', excluded_iocs: { ip: { '10.0.0.0/8': { comment: 'RFC1918' } } }, normalized_ioc_types: { ip: ['sourceAddress'] } };

const record = (fields: Record<string, unknown>) => ({
  access_device: { browser: 'Chrome' },
  factor: 'duo_push',
  ip: '198.51.100.7',
  reason: 'user_marked_fraud',
  result: 'FRAUD',
  timestamp: 1715675412,
  user: { name: 'bob@example.com' },
  ...fields,
});

const event = (description: string, data: Record<string, unknown>, triggerRules: string[]) => ({
  data,
  description,
  log: 'duo:authentication',
  service: 'streamalert_app',
  source: 'acme_duo_auth',
  trigger_rules: triggerRules,
});

export const DUO_FRAUD_EVENTS = [event('A login marked as fraud alerts', record({}), ['duo_fraud']), event('A successful login does not', record({ result: 'SUCCESS', reason: '' }), [])];

const FILES: Record<string, string | object> = {
  'conf/global.json': {
    account: { aws_account_id: '123456789012', prefix: 'acme', region: 'eu-west-1' },
    general: { matcher_locations: ['matchers'], rule_locations: ['rules'], publisher_locations: ['publishers'], third_party_libraries: ['policyuniverse==1.3.2.1'] },
    infrastructure: { alerts_table: { read_capacity: 5 }, firehose: { enabled: true }, rule_staging: { enabled: true } },
  },
  'conf/outputs.json': { slack: ['sec'], 'pagerduty-v2': ['oncall'], 'aws-s3': { audit: 'acme-alerts' }, 'aws-cloudwatch-log': ['trail'], 'acme-siem': ['soc'] },
  'conf/schemas/duo.json': DUO_SCHEMA,
  'conf/normalized_types.json': NORMALIZED_TYPES,
  'conf/lookup_tables.json': LOOKUP_TABLES,
  'conf/threat_intel.json': THREAT_INTEL,
  'conf/clusters/prod.json': { id: 'prod', modules: { kinesis: { streams: { retention: 24 } } } },
  'conf/lambda.json': { rules_engine_config: { memory: 128 } },
  'rules/__init__.py': '',
  'rules/helpers/base.py': 'def in_network(ip, cidrs):\n    return False\n',
  'rules/community/duo/duo_fraud.py': [
    '"""Duo logins the user marked as fraud."""',
    'from streamalert.shared.rule import rule',
    '',
    '',
    "@rule(logs=['duo:authentication'], outputs=['slack:sec', 'pagerduty-v2:oncall', 'acme-siem:soc'])",
    'def duo_fraud(rec):',
    '    """',
    '    author:       acme secops',
    '    description:  A Duo login was marked as fraud by its user',
    '    """',
    "    return rec['result'] == 'FRAUD'",
    '',
  ].join('\n'),
  'rules/community/duo/duo_fraud.json': DUO_FRAUD_EVENTS,
  'rules/community/duo/duo_push.py': [
    'from matchers.default import DuoMatcher',
    'from publishers.community.slack.slack_layout import Summary',
    'from streamalert.shared.rule import disable, rule',
    '',
    "OFFICE = '203.0.113.0/24'  # the office's network",
    '',
    '',
    'def owner(rec):',
    "    return ['slack:sec']",
    '',
    '',
    '@disable',
    '@rule(',
    "    logs=['duo:authentication'],",
    "    datatypes=['sourceAddress'],",
    '    matchers=[DuoMatcher.is_push],',
    "    req_subkeys={'user': ['name']},",
    "    outputs=['slack:sec'],",
    '    dynamic_outputs=[owner],',
    "    publishers={'slack': [Summary], 'slack:sec': 'publishers.community.generic.remove_internal_fields'},",
    "    merge_by_keys=['user'],",
    '    merge_window_mins=30,',
    "    context={'office': OFFICE, 'limit': 3, 'quiet': None},",
    ')',
    'def duo_push_outside_office(rec, context):',
    '    """Pushes from outside the office"""',
    "    return rec['ip'] != context['office']",
    '',
    '',
    "@rule(logs=['duo:authentication'])",
    'def duo_anonymous_ip(rec):',
    "    return rec['reason'] == 'Anonymous IP'",
    '',
  ].join('\n'),
  'rules/community/duo/duo_push.json': [event('A push from outside the office', record({ result: 'SUCCESS' }), ['duo_push_outside_office'])],
  'rules/community/broken/broken.py': ['from streamalert.shared.rule import rule', '', "LOGS = ['duo:authentication']", '', '', '@rule(logs=LOGS)', 'def computed_logs(rec):', '    return True', ''].join('\n'),
  'rules/community/broken/unclosed.py': ['from streamalert.shared.rule import rule', '', "@rule(logs=['duo:authentication'])", 'def unclosed(rec):', "    return rec['result'] == 'FRAUD", ''].join('\n'),
  'matchers/__init__.py': '',
  'matchers/default.py': ['class DuoMatcher:', '    """Duo matchers"""', '    _PUSH = "duo_push"', '', '    @classmethod', '    def is_push(cls, rec):', "        return rec['factor'] == cls._PUSH", ''].join('\n'),
  'publishers/community/generic.py': 'def add_record(alert, publication):\n    return publication\n',
  'publishers/acme/ticket.py': 'from streamalert.shared.publisher import Register\n\n\n@Register\ndef ticket_fields(alert, publication):\n    return publication\n',
};

/** Writes the checkout in a fresh temporary folder (removed after the test file) and returns its path. */
export function writeCheckout(): string {
  const root = tempDir('streamalert-checkout-');
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return root;
}
