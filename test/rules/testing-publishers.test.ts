import { describe, expect, it } from 'vitest';
import { checkPublisherTest, parsePublisherTests, type PublisherTest } from '../../src/rules/test-events/publisher-tests.ts';
import { DUO_LOG, duoEvent, IMPORT, projectRunner } from './testing-support.ts';

/** What a Slack-shaped publisher of the project produces: StreamAlert's publication keys. */
const PUBLISHERS = {
  'publishers/slack_card.ts':
    "import { publisher } from 'streamalert';\n" +
    "export const slack_card = publisher('test_slack_card', (alert) => ({\n" +
    "  '@slack.text': 'Rule triggered',\n" +
    "  '@slack.attachments': [{ title: alert.ruleName, fields: [{ title: 'Device', value: alert.record.access_device.os }] }],\n" +
    "  teams: ['secops', 'infra'],\n" +
    '}));\n',
  'rules/duo_fraud.ts':
    IMPORT +
    "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts', 'aws-s3:audit'], publishers: { slack: 'test_slack_card' } }, (rec) => rec.result === 'FRAUD');\n",
};

describe('publisher_tests: what each output receives, checked by rules test', () => {
  const runProject = projectRunner(PUBLISHERS);
  it('holds for both of StreamAlert\'s forms and each condition, on the publishers\' output and on the plain alert document', async () => {
    const report = await runProject({
      'rules/duo_fraud.json': [
        duoEvent({
          data: DUO_LOG,
          trigger_rules: ['duo_fraud'],
          publisher_tests: {
            'slack:sec-alerts': [
              { jmespath_expression: 'keys(@)', condition: 'is', value: ['@slack.text', '@slack.attachments', 'teams'] },
              ['"@slack.text"', 'is', 'Rule triggered'],
              ['"@slack.attachments"[0].title', 'is', 'duo_fraud'],
              ['"@slack.attachments"[0].fields[0].value', 'in', ['Mac OS X', 'Linux']],
              ['"@slack.text"', 'in', 'Rule triggered for you'],
              ['"@slack.text"', 'contains', 'trigger'],
              ['teams', 'contains', 'infra'],
            ],
            'aws-s3:audit': [
              ['rule_name', 'is', 'duo_fraud'],
              ['record', 'contains', 'access_device'],
              ['record.access_device', 'is', { os: 'Mac OS X', ip: '198.51.100.77' }],
            ],
          },
        }),
      ],
    });
    expect(report.outcomes[0]).toMatchObject({ passed: true, errors: [], publisherTests: { run: 10, passed: 10 } });
  });

  it('fails the event with what was expected and what was found, and an output no alert goes to', async () => {
    const report = await runProject({
      'rules/duo_fraud.json': [
        duoEvent({
          data: DUO_LOG,
          trigger_rules: ['duo_fraud'],
          publisher_tests: {
            'slack:sec-alerts': [
              ['"@slack.text"', 'is', 'Rule fired'],
              ['teams', 'contains', 'hr'],
              ['"@slack.attachments"[0].fields[0].value', 'in', ['Linux']],
            ],
            'pagerduty:oncall': [['"@pagerduty.description"', 'is', 'duo_fraud']],
          },
        }),
      ],
    });
    const [outcome] = report.outcomes;
    expect(outcome).toMatchObject({ passed: false, firedRules: ['duo_fraud'], publisherTests: { run: 4, passed: 0 } });
    expect(outcome!.errors).toEqual([
      `publisher test for slack:sec-alerts (rule duo_fraud): item at path '"@slack.text"' should have been "Rule fired"; actual value: "Rule triggered"`,
      `publisher test for slack:sec-alerts (rule duo_fraud): item at path 'teams' should have contained "hr"; actual value: ["secops","infra"]`,
      `publisher test for slack:sec-alerts (rule duo_fraud): item at path '"@slack.attachments"[0].fields[0].value' should have been one of ["Linux"]; actual value: "Mac OS X"`,
      'publisher test for pagerduty:oncall: no alert of this event goes to pagerduty:oncall (its alerts go to: slack:sec-alerts, aws-s3:audit)',
    ]);
  });

  it('runs only when an alert fires, and not with skip_publishers', async () => {
    const failing = { 'slack:sec-alerts': [['"@slack.text"', 'is', 'never']] };
    const report = await runProject({
      'rules/duo_fraud.json': [
        duoEvent({ data: { ...DUO_LOG, result: 'SUCCESS' }, description: 'no alert', publisher_tests: failing }),
        duoEvent({ data: DUO_LOG, description: 'skipped', trigger_rules: ['duo_fraud'], skip_publishers: true, publisher_tests: failing }),
      ],
    });
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.publisherTests])).toEqual([
      [true, { run: 0, passed: 0 }],
      [true, { run: 0, passed: 0 }],
    ]);
  });

  it('makes an event with a badly written test malformed, saying which', async () => {
    const report = await runProject({
      'rules/duo_fraud.json': [
        duoEvent({ data: DUO_LOG, publisher_tests: { 'slack:sec-alerts': [['"@slack.text"', 'is']] } }),
        duoEvent({ data: DUO_LOG, publisher_tests: { 'slack:sec-alerts': [{ jmespath_expression: 'a', condition: 'is' }] } }),
        duoEvent({ data: DUO_LOG, publisher_tests: { 'slack:sec-alerts': [['a', 'equals', 1]] } }),
        duoEvent({ data: DUO_LOG, publisher_tests: { 'slack:sec-alerts': [['a[', 'is', 1]] } }),
        duoEvent({ data: DUO_LOG, publisher_tests: { slack: [['a', 'is', 1]] } }),
        duoEvent({ data: DUO_LOG, publisher_tests: [['a', 'is', 1]] }),
      ],
    });
    expect(report.outcomes).toEqual([]);
    expect(report.malformed.map((bad) => bad.problem)).toEqual([
      'publisher_tests.slack:sec-alerts[0]: a test as a list has three elements, [jmespath expression, condition, value]; this one has 2',
      'publisher_tests.slack:sec-alerts[0]: a test as an object has the keys jmespath_expression, condition and value; missing value',
      'publisher_tests.slack:sec-alerts[0]: condition "equals" is not one of is, in, contains',
      "publisher_tests.slack:sec-alerts[0]: 'a[' is not a JMESPath expression (Expected Star, got: EOF)",
      "publisher_tests key 'slack' must be an output, service:descriptor",
      'publisher_tests must be an object of outputs and their tests: {"slack:sec-alerts": [["\\"@slack.text\\"", "is", "..."]]}',
    ]);
  });
});

describe('checkPublisherTest', () => {
  const test = (expression: string, condition: 'is' | 'in' | 'contains', value: unknown): PublisherTest => ({ output: 'slack:x', expression, condition, value });
  const publication = { text: 'Rule triggered', list: [1, { a: 2 }], object: { key: 'v' }, nothing: null };

  it.each([
    [test('text', 'is', 'Rule triggered'), true],
    [test('missing', 'is', null), true],
    [test('list', 'is', [1, { a: 2 }]), true],
    [test('list', 'is', [{ a: 2 }, 1]), false],
    [test('list', 'contains', { a: 2 }), true],
    [test('object', 'contains', 'key'), true],
    [test('object', 'contains', 'v'), false],
    [test('nothing', 'contains', 'x'), false],
    [test('text', 'in', ['Rule triggered', 'x']), true],
    [test('text', 'in', 'A Rule triggered here'), true],
    [test('list[1].a', 'in', [2]), true],
    [test('length(list)', 'is', 2), true],
  ])('%j holds: %s', (check, holds) => {
    expect(checkPublisherTest(check, publication) === undefined).toBe(holds);
  });

  it('reports an expression that fails on this publication, and cuts long values', () => {
    expect(checkPublisherTest(test('length(nothing)', 'is', 1), publication)).toMatch(/^'length\(nothing\)' could not be evaluated: TypeError: length\(\) expected argument 1/);
    const long = checkPublisherTest(test('text', 'is', 'x'.repeat(1000)), publication)!;
    expect(long).toContain('... (1002 characters)');
    expect(long.length).toBeLessThan(500);
  });

  it('parses nothing to no tests', () => {
    expect(parsePublisherTests(undefined)).toEqual([]);
  });
});
