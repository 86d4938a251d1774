import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { OUTPUTS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { TEST_SCHEMAS } from './testing-support.ts';

// `streamalert rules test` on test events that use StreamAlert's keys, as a user runs it.

const PROJECT = {
  ...TEST_SCHEMAS,
  ...OUTPUTS,
  'publishers/slack_card.ts':
    "import { publisher } from 'streamalert';\n" +
    "export const slack_card = publisher('cli_slack_card', (alert) => ({ '@slack.text': 'Rule triggered', '@slack.attachments': [{ title: alert.ruleName }] }));\n",
  'rules/cloudwatch/cw_root.ts':
    "import { rule } from 'streamalert';\n" +
    "export const cw_root = rule({ logs: ['cloudwatch:cloudtrail'], outputs: ['slack:sec-alerts'], publishers: { slack: 'cli_slack_card' } }, (rec) => rec.userIdentity.type === 'Root');\n",
};
const ROOT = JSON.stringify({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } });
const event = (fields: Record<string, unknown>) => ({
  override_record: { owner: '123456789012', logEvents: [{ id: '1', message: ROOT }] },
  log: 'cloudwatch:cloudtrail',
  service: 'kinesis',
  source: 'prefix_cluster1_streamalert',
  trigger_rules: ['cw_root'],
  ...fields,
});

function rulesTest(dir: string) {
  return streamalert(['--project', dir, 'rules', 'test'], { env: isolatedEnv() });
}

describe("streamalert rules test on StreamAlert's test-event keys", () => {
  it('passes publisher_tests that hold, fails one that does not with what it found, and warns about an unknown key on stderr', () => {
    const dir = tempProject({
      ...PROJECT,
      'rules/cloudwatch/cw_root.json': [
        event({
          description: 'root sign-in is announced on Slack',
          publisher_tests: { 'slack:sec-alerts': [['"@slack.text"', 'is', 'Rule triggered'], { jmespath_expression: '"@slack.attachments"[0].title', condition: 'is', value: 'cw_root' }] },
          test_fixtures: { threat_intel: [{ ioc_value: '198.51.100.23', ioc_type: 'ip', sub_type: 'mal_ip' }] },
          notes: 'reviewed',
        }),
        event({ description: 'a wrong expectation', publisher_tests: { 'slack:sec-alerts': [['"@slack.text"', 'contains', 'Root']] } }),
        event({ description: 'classification only', classify_only: true, trigger_rules: undefined }),
      ],
    });
    const run = rulesTest(dir);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toBe(
      [
        'rules/cloudwatch/cw_root.json',
        '  pass  #1  root sign-in is announced on Slack',
        '  FAIL  #2  a wrong expectation',
        '        classified as:  cloudwatch:cloudtrail (expected cloudwatch:cloudtrail)',
        '        expected rules: cw_root',
        '        fired rules:    cw_root',
        '        publisher tests: 0/1 passed',
        `        error: publisher test for slack:sec-alerts (rule cw_root): item at path '"@slack.text"' should have contained "Root"; actual value: "Rule triggered"`,
        '  pass  #3  classification only',
        '',
        'Rule tests: 3 events, 2 passed, 1 failed',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe(
      [
        "warning: rules/cloudwatch/cw_root.json, event #1 (index 0): unknown key 'notes' is ignored, as StreamAlert ignores it (known: description, log, service, source, data, override_record, trigger_rules, classify_only, validate_schema_only, skip_publishers, publisher_tests, test_fixtures, compress)",
        'error: 1 rule test did not pass',
        '',
      ].join('\n'),
    );
  });
});
