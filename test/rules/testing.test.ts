import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadRules } from '../../src/rules/loader.ts';
import { runRuleTests } from '../../src/rules/testing.ts';
import { OUTPUTS, tempProject } from '../support/rules-project.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** A CloudWatch Logs subscription schema: records are JSON text inside logEvents, with an envelope. */
const CLOUDWATCH = {
  'conf/schemas/cloudwatch.json': {
    'cloudwatch:cloudtrail': {
      parser: 'json',
      schema: { eventName: 'string', userIdentity: { type: 'string', arn: 'string' }, errorCode: 'string' },
      configuration: {
        json_path: 'logEvents[*].message',
        embedded_json: true,
        envelope_keys: { logGroup: 'string', owner: 'string' },
        optional_top_level_keys: ['errorCode'],
      },
    },
  },
};

async function run(files: Record<string, string | object>, options: { rule?: string } = {}) {
  const dir = tempProject({ ...CLOUDWATCH, ...OUTPUTS, ...files });
  const { schemas } = loadSchemas(dir);
  const outputs = loadProject(dir).outputs;
  const { rules, problems } = await loadRules({ dir, schemas, outputs });
  expect(problems).toEqual([]);
  return runRuleTests({ dir, schemas, outputs }, rules, options);
}

const ROOT_RULE = {
  'rules/root.ts':
    IMPORT +
    "export const cw_root = rule({ logs: ['cloudwatch:cloudtrail'], outputs: ['slack:sec-alerts'] }, (rec) => rec.userIdentity.type === 'Root' && rec['streamalert:envelope_keys'].owner === '123456789012');\n",
};

describe('running test events', () => {
  it('builds an override_record into the payload the schema expects: defaults, embedded JSON, envelope', async () => {
    const report = await run({
      ...ROOT_RULE,
      'rules/root.json': [
        { override_record: { userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }, description: 'root', log: 'cloudwatch:cloudtrail', trigger_rules: [] },
      ],
    });
    // The envelope's owner defaults to '' so the rule does not fire: the event (expecting nothing) passes.
    expect(report.outcomes[0]).toMatchObject({ passed: true, classifiedAs: ['cloudwatch:cloudtrail'], firedRules: [] });
  });

  it('fires on full data with the envelope, and checks nothing but classification with classify_only', async () => {
    const payload = {
      logGroup: 'CloudTrail/logs',
      owner: '123456789012',
      logEvents: [{ id: '1', message: JSON.stringify({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }) }],
    };
    const report = await run({
      ...ROOT_RULE,
      'rules/root.json': [
        { data: payload, description: 'root sign-in', log: 'cloudwatch:cloudtrail', trigger_rules: ['cw_root'] },
        { data: payload, description: 'schema only', log: 'cloudwatch:cloudtrail', classify_only: true },
      ],
    });
    expect(report.outcomes.map((outcome) => [outcome.passed, outcome.firedRules])).toEqual([
      [true, ['cw_root']],
      [true, []],
    ]);
    expect(report.untested).toEqual([]);
  });

  it('skips publishers on request', async () => {
    const report = await run({
      'rules/pub.ts':
        IMPORT +
        "export const pub = rule({ logs: ['cloudwatch:cloudtrail'], outputs: ['slack:sec-alerts'], publishers: 'remove_fields', context: { remove_fields: ['('] } }, () => true);\n",
      'rules/pub.json': [
        { override_record: {}, description: 'publishers run', log: 'cloudwatch:cloudtrail', trigger_rules: ['pub'] },
        { override_record: {}, description: 'publishers skipped', log: 'cloudwatch:cloudtrail', trigger_rules: ['pub'], skip_publishers: true },
      ],
    });
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([false, true]);
    expect(report.outcomes[0]!.errors[0]).toContain('publishers of rule pub for slack:sec-alerts failed');
  });

  it('with a rule name, runs the events in its file and the events that expect it, not the others', async () => {
    const report = await run(
      {
        ...ROOT_RULE,
        'rules/other.ts': IMPORT + "export const other = rule({ logs: ['cloudwatch:cloudtrail'], outputs: ['slack:sec-alerts'] }, () => false);\n",
        'rules/cw_root.json': [{ override_record: {}, description: 'in the file named after the rule', log: 'cloudwatch:cloudtrail', trigger_rules: [] }],
        'rules/misc.json': [
          { override_record: {}, description: 'expects cw_root', log: 'cloudwatch:cloudtrail', trigger_rules: ['cw_root'] },
          { override_record: {}, description: 'about another rule', log: 'cloudwatch:cloudtrail', trigger_rules: ['other'] },
        ],
      },
      { rule: 'cw_root' },
    );
    expect(report.outcomes.map((outcome) => outcome.event.description)).toEqual(['in the file named after the rule', 'expects cw_root']);
    expect(report.untested).toEqual([]);
  });
});
