import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudtrailEvent, duoRecord, OUTPUTS, REPO_ROOT, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';

/** Runs the real CLI, as a user would: `streamalert rules test --project DIR [args]`. */
function rulesTest(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'streamalert-from-source.js'), 'rules', 'test', '--project', dir, ...args], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const IMPORT = "import { rule } from 'streamalert';\n";
const RULES = {
  'rules/cloudtrail/root_usage.ts':
    IMPORT +
    "export const root_usage = rule({ logs: ['cloudtrail:events'], outputs: ['pagerduty:oncall'], publishers: { pagerduty: ['remove_internal_fields', 'pagerduty_custom_details'] } }, (rec) => rec.userIdentity.type === 'Root' && !rec.userIdentity.invokedBy);\n",
  'rules/duo/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], publishers: { slack: 'slack_summary' } }, (rec) => rec.result === 'fraud');\n",
};
const ROOT_EVENTS = [
  { data: { Records: [cloudtrailEvent()] }, description: 'root console login alerts', log: 'cloudtrail:events', service: 's3', source: 'trail-bucket', trigger_rules: ['root_usage'] },
  {
    override_record: { userIdentity: { type: 'Root', invokedBy: 'support.amazonaws.com' } },
    description: 'root activity by an AWS service does not alert',
    log: 'cloudtrail:events',
    service: 's3',
    source: 'trail-bucket',
    trigger_rules: [],
  },
];
const DUO_EVENTS = [
  { data: duoRecord(), description: 'fraud alerts', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: ['duo_fraud'] },
  { data: JSON.stringify(duoRecord({ result: 'success' })), description: 'success given as JSON text does not alert', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: [] },
];

describe('streamalert rules test', () => {
  it('passes when every event classifies as its log and fires exactly its trigger_rules', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES, 'rules/cloudtrail/root_usage.json': ROOT_EVENTS, 'rules/duo/duo_fraud.json': DUO_EVENTS });
    const { code, stdout, stderr } = rulesTest(dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('rules/cloudtrail/root_usage.json\n  pass  #1  root console login alerts\n  pass  #2  root activity by an AWS service does not alert');
    expect(stdout).toContain('rules/duo/duo_fraud.json\n  pass  #1  fraud alerts\n  pass  #2  success given as JSON text does not alert');
    expect(stdout).toContain('Rule tests: 4 events, 4 passed, 0 failed');
  });

  it('fails with exit 1, showing what was expected and what fired', () => {
    const wrong = [
      { ...DUO_EVENTS[0], description: 'expects a rule that does not fire', trigger_rules: [] },
      { ...DUO_EVENTS[1], description: 'expects the wrong log type', log: 'github:audit', trigger_rules: [] },
      { ...DUO_EVENTS[0], data: duoRecord({ factor: 5, extra: true }), description: 'does not classify', trigger_rules: ['duo_fraud'] },
    ];
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES, 'rules/duo/duo_fraud.json': wrong });
    const { code, stdout, stderr } = rulesTest(dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        '  FAIL  #1  expects a rule that does not fire',
        '        classified as:  duo:authentication (expected duo:authentication)',
        '        expected rules: (none)',
        '        fired rules:    duo_fraud',
      ].join('\n'),
    );
    expect(stdout).toContain(
      ['  FAIL  #2  expects the wrong log type', '        classified as:  (nothing) (expected github:audit)', "        not classified: github:audit: missing keys 'action', 'actor', 'created_at'; unexpected keys 'access_device', 'factor', 'reason', 'result', 'timestamp'"].join('\n'),
    );
    expect(stdout).toContain(
      [
        '  FAIL  #3  does not classify',
        '        classified as:  (nothing) (expected duo:authentication)',
        "        not classified: duo:authentication: unexpected key 'extra'",
        '        expected rules: duo_fraud',
        '        fired rules:    (none)',
      ].join('\n'),
    );
    expect(stdout).toContain('Rule tests: 3 events, 0 passed, 3 failed');
    expect(stderr).toContain('error: 3 rule tests did not pass');
  });

  it('fails an event on which a rule throws, or a publisher fails', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/fragile.ts':
        IMPORT +
        "export const fragile = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.requestParameters.bucketName === 'b');\n" +
        "export const bad_publisher = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], publishers: 'remove_fields', context: { remove_fields: ['(unclosed'] } }, () => true);\n",
      'rules/fragile.json': [
        { data: { Records: [cloudtrailEvent()] }, description: 'null requestParameters', log: 'cloudtrail:events', service: 's3', source: 'trail-bucket', trigger_rules: [] },
        { data: duoRecord(), description: 'publisher with a bad regex', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: ['bad_publisher'] },
      ],
    });
    const { code, stdout } = rulesTest(dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}#1 {2}null requestParameters\n[\s\S]*error: rule fragile failed on record 1: TypeError: Cannot read properties of null/);
    expect(stdout).toMatch(/FAIL {2}#2 {2}publisher with a bad regex\n[\s\S]*error: publishers of rule bad_publisher for slack:sec-alerts failed: remove_fields: context\.remove_fields has an invalid regular expression '\(unclosed'/);
  });

  it('fails the events of a rule that never returns or returns no boolean, and finishes', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      'rules/spins.ts':
        IMPORT +
        "export const spins = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => { for (;;) {} });\n" +
        "export const no_return = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, ((rec) => { rec.action === 'user.promote'; }) as never);\n",
      'rules/spins.json': [
        { data: duoRecord(), description: 'fraud', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: ['spins'] },
        { data: duoRecord({ result: 'success' }), description: 'success', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: [] },
        { data: { action: 'user.promote', actor: 'a', created_at: 1 }, description: 'promotion', log: 'github:audit', service: 'streamalert_app', source: 'github', trigger_rules: ['no_return'] },
      ],
    });
    const { code, stdout } = rulesTest(dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}#1 {2}fraud\n[\s\S]*error: rule spins failed on record 1: did not return within 1,000 ms, so it was stopped and is disabled for the rest of the run/);
    // Disabled from then on: it no longer runs, so the next event passes without waiting for it.
    expect(stdout).toContain('  pass  #2  success');
    expect(stdout).toMatch(/FAIL {2}#3 {2}promotion\n[\s\S]*error: rule no_return failed on record 3: returned undefined; rules return true or false/);
    expect(stdout).toContain('Rule tests: 3 events, 1 passed, 2 failed');
  });

  it('reports malformed test files and events with the file and the index, and exits 1; an unknown key only warns', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      ...RULES,
      'rules/duo/duo_fraud.json': [
        DUO_EVENTS[0],
        { data: duoRecord(), description: 'no log', service: 'streamalert_app', source: 'duo', trigger_rules: [] },
        { data: duoRecord(), description: 'unknown log', log: 'duo:auth', service: 'streamalert_app', source: 'duo', trigger_rules: [] },
        { data: duoRecord(), description: 'typo', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', tigger_rules: ['duo_fraud'] },
        { description: 'no data', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: [] },
        'not an object',
        { ...DUO_EVENTS[0], description: 'an extra key', owner: 'secops' },
        { data: duoRecord(), description: 'no service', log: 'duo:authentication', trigger_rules: [] },
      ],
      'rules/broken.json': '[{"data": ',
      'rules/object.json': { data: {}, description: 'x', log: 'duo:authentication' },
    });
    const { code, stdout, stderr } = rulesTest(dir);
    expect(code).toBe(1);
    expect(stdout).toContain('  pass  #1  fraud alerts');
    expect(stdout).toContain('  pass  #7  an extra key');
    const malformed = stdout.slice(stdout.indexOf('Malformed test events:'));
    expect(malformed).toContain('  rules/broken.json: not valid JSON');
    expect(malformed).toContain("  rules/duo/duo_fraud.json, event #2 (index 1): missing required key(s) 'log' (description, log, service, source are required)");
    expect(malformed).toContain("  rules/duo/duo_fraud.json, event #3 (index 2): log 'duo:auth' is not a log type in conf/schemas");
    expect(malformed).toContain("  rules/duo/duo_fraud.json, event #4 (index 3): missing 'trigger_rules' (the rules expected to fire, [] for none), required unless 'classify_only' is true");
    expect(malformed).toContain("  rules/duo/duo_fraud.json, event #5 (index 4): needs 'data' (the record) or 'override_record'");
    expect(malformed).toContain('  rules/duo/duo_fraud.json, event #6 (index 5): expected an object');
    expect(malformed).toContain("  rules/duo/duo_fraud.json, event #8 (index 7): missing required key(s) 'service', 'source'");
    expect(malformed).toContain('  rules/object.json: must be a list of test events');
    expect(stdout).toContain('Rule tests: 2 events, 2 passed, 0 failed, 8 malformed');
    // One warning line per unknown key, naming the file and the event; the event still runs.
    expect(stderr.split('\n').filter((line) => line.startsWith('warning:'))).toEqual([
      "warning: rules/duo/duo_fraud.json, event #4 (index 3): unknown key 'tigger_rules' is ignored, as StreamAlert ignores it; did you mean 'trigger_rules'?",
      "warning: rules/duo/duo_fraud.json, event #7 (index 6): unknown key 'owner' is ignored, as StreamAlert ignores it (known: description, log, service, source, data, override_record, trigger_rules, classify_only, validate_schema_only, skip_publishers, publisher_tests, test_fixtures, compress)",
    ]);
  });

  it('with --rule, runs only the events of that rule, including its negative ones', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES, 'rules/cloudtrail/root_usage.json': ROOT_EVENTS, 'rules/duo/duo_fraud.json': DUO_EVENTS });
    const { code, stdout } = rulesTest(dir, '--rule', 'root_usage');
    expect(code).toBe(0);
    expect(stdout).toContain('root activity by an AWS service does not alert');
    expect(stdout).not.toContain('duo_fraud.json');
    expect(stdout).toContain('Rule tests: 2 events, 2 passed, 0 failed');
  });

  it('lists rules that no test event expects to fire', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES, 'rules/duo/duo_fraud.json': DUO_EVENTS });
    const { stdout } = rulesTest(dir);
    expect(stdout).toContain('No test event expects these rules to fire: root_usage');
  });

  it('fails what does not load, exit 1, while the rules that load are tested; --strict refuses, exit 2', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      ...RULES,
      'rules/duo/duo_fraud.json': DUO_EVENTS,
      'rules/broken.ts': IMPORT + "throw new Error('lookup table missing');\n",
      'rules/page.ts': IMPORT + "export const page_me = rule({ logs: ['duo:authentication'], outputs: ['pagerduty:secops'] }, () => true);\n",
      'rules/page.json': [{ data: duoRecord(), description: 'pages on fraud', log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules: ['page_me'] }],
    });
    const tolerant = rulesTest(dir);
    expect(tolerant.code).toBe(1);
    expect(tolerant.stdout).toContain('rules/duo/duo_fraud.json\n  pass  #1  fraud alerts\n  pass  #2  success given as JSON text does not alert');
    expect(tolerant.stdout).toContain("  FAIL  #1  pages on fraud\n        classified as:  duo:authentication (expected duo:authentication)\n        expected rules: page_me\n        fired rules:    duo_fraud\n        error: rule page_me did not load (see 'Did not load' below)");
    expect(tolerant.stdout).toContain(
      [
        'Did not load (each is a failure):',
        '  rules/broken.ts could not be loaded (Error: lookup table missing); fix the file',
        "  rules/page.ts: rule page_me: output 'pagerduty:secops' is not configured in conf/outputs.json (configured: slack:sec-alerts, pagerduty:oncall, aws-s3:audit); add it with 'streamalert output new --service pagerduty' or change the rule",
      ].join('\n'),
    );
    expect(tolerant.stdout).toContain('Rule tests: 3 events, 2 passed, 1 failed, 2 did not load');
    expect(tolerant.stderr).toBe("error: 1 rule test did not pass; 2 load problems (see 'Did not load')\n");

    const strict = rulesTest(dir, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.trim().split('\n')).toEqual([
      'error: rules/broken.ts could not be loaded (Error: lookup table missing); fix the file',
      expect.stringMatching(/^error: rules\/page\.ts: rule page_me: output 'pagerduty:secops' is not configured in conf\/outputs\.json/),
      'error: 2 load problems: --strict refuses to start (without it, only what each names is disabled)',
    ]);
  });

  it('exits 2 on an unknown --rule, or no project', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES, 'rules/duo/duo_fraud.json': DUO_EVENTS });
    const unknown = rulesTest(dir, '--rule', 'duo_frawd');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: no rule named 'duo_frawd' (rules: root_usage, duo_fraud)");

    const none = rulesTest(join(dir, 'nowhere'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No StreamAlert project in');
  });

  it('exits 1 when there are no test events to run', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...RULES });
    const { code, stderr } = rulesTest(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('error: no test events under rules/');
  });

  it('passes on the example project', () => {
    const { code, stdout } = rulesTest(join(REPO_ROOT, 'examples', 'quickstart'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/Rule tests: \d+ events, (\d+) passed, 0 failed/);
    expect(stdout).not.toContain('No test event expects');
  });
});
