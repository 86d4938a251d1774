import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalertAsync } from '../support/cli.ts';
import { tempProject } from '../support/rules-project.ts';

// A project whose logs are StreamAlert's text shapes: raw syslog and kv lines as an S3 object
// holds them, and RDS Aurora csv inside a CloudWatch Logs subscription (JSON).
const PROJECT = {
  'conf/outputs.json': { file: ['alerts'] },
  'conf/output_settings.json': { file: { alerts: { path: '.streamalert/alerts.jsonl' } } },
  'conf/schemas/host.json': {
    'host:syslog': { parser: 'syslog', schema: { timestamp: 'string', host: 'string', application: 'string', message: 'string' } },
    'host:kv': { parser: 'kv', schema: { user: 'string', action: 'string', uid: 'integer' }, configuration: { priority: 0 } },
  },
  'conf/schemas/aurora.json': {
    'cloudwatch:rds_aurora': {
      schema: { timestamp: 'integer', serverhost: 'string', username: 'string', host: 'string', connectionid: 'integer', queryid: 'integer', operation: 'string', database: 'string', object: 'string', retcode: 'integer' },
      parser: 'csv',
      configuration: { envelope_keys: { logGroup: 'string', owner: 'string' }, json_path: 'logEvents[*].message', escapechar: '\\', quotechar: "'" },
    },
  },
  'rules/host.ts': `import { rule } from 'streamalert';
export const sudo_to_root = rule(
  { logs: ['host:syslog'], outputs: ['file:alerts'] },
  (rec) => rec.application === 'sudo' && String(rec.message).includes('user root'),
);
export const kv_root_uid = rule({ logs: ['host:kv'], outputs: ['file:alerts'] }, (rec) => rec.uid === 0);
export const aurora_drop = rule(
  { logs: ['cloudwatch:rds_aurora'], outputs: ['file:alerts'] },
  (rec) => String(rec.object).startsWith('DROP TABLE'),
);
`,
};

describe('streamalert run on StreamAlert-style text logs', () => {
  it('classifies syslog, kv and csv records, runs their rules, and reports the malformed line with its parser', async () => {
    const dir = tempProject(PROJECT);
    const aurora = {
      logGroup: '/aws/rds/cluster/db/audit',
      owner: '123456789012',
      logEvents: [{ id: '1', timestamp: 1, message: "1530644171134057,db-1,admin,10.0.0.1,86544374,231296082,QUERY,prod,'DROP TABLE users',0" }],
    };
    const input = join(dir, 'host.log');
    writeFileSync(
      input,
      [
        'Jan 26 19:35:33 web-1 sudo: pam_unix(sudo:session): session opened for user root by (uid=0)',
        'Jan 26 19:35:34 web-1 sshd[13941]: Accepted publickey for mike',
        'user=mallory action=login uid=0',
        JSON.stringify(aurora),
        'this line is no log at all',
        '',
      ].join('\r\n'),
    );
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const { stats: summary } = JSON.parse(run.stdout) as { stats: { classified_by_log_type: Record<string, number>; unclassified_by_reason: Record<string, number> } };
    expect(summary.classified_by_log_type).toEqual({ 'host:syslog': 2, 'host:kv': 1, 'cloudwatch:rds_aurora': 1 });
    expect(Object.values(summary.unclassified_by_reason).reduce((a, b) => a + b, 0)).toBe(1);
    // The line fits no schema: the closest one, a parser of text, says what it expected.
    expect(run.stderr).toContain("record 5 fits no schema: no schema fits; closest is host:syslog: syslog parser: not a syslog line ('Mon DD HH:MM:SS host application[pid]: message'): a string");

    const alerts = readFileSync(join(dir, '.streamalert', 'alerts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { rule_name: string; record: Record<string, unknown> });
    expect(alerts.map((alert) => alert.rule_name).sort()).toEqual(['aurora_drop', 'kv_root_uid', 'sudo_to_root']);
    expect(alerts.find((alert) => alert.rule_name === 'aurora_drop')!.record).toMatchObject({ object: 'DROP TABLE users', connectionid: 86544374, 'streamalert:envelope_keys': { owner: '123456789012' } });
  });
});
