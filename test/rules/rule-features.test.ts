import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import type { PipelineEvent } from '../../src/pipeline/events.ts';
import { loadDetection } from '../../src/pipeline/load.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { runRuleTests } from '../../src/rules/testing.ts';
import { cloudtrailEvent, duoRecord, OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';

// StreamAlert's rule features (issue 12): @disable, matchers, datatypes with normalization, staging;
// through the real loader, engine and pipeline of a project folder.

const IMPORT = "import { rule, matcher, fetchValuesByDatatype, inNetwork } from 'streamalert';\n";
const NORMALIZED_TYPES = { 'conf/normalized_types.json': { cloudtrail: { sourceAddress: ['sourceIPAddress'] }, duo: { sourceAddress: ['ip'], userName: ['name'] } } };

async function pipelineOf(files: Record<string, string | object>) {
  const events: PipelineEvent[] = [];
  const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...NORMALIZED_TYPES, ...files });
  const pipeline = await Pipeline.load(loadProject(dir), { onEvent: (event) => events.push(event) });
  return { pipeline, events, dir };
}

const trail = (fields: Record<string, unknown> = {}) => ({ Records: [cloudtrailEvent(fields)] });
const fired = (pipeline: Pipeline, payload: unknown) => pipeline.process(payload).map((alert) => alert.ruleName);

describe('disabled rules (StreamAlert @disable)', () => {
  it('load, are listed with disabled: true, and never run', async () => {
    const { pipeline } = await pipelineOf({
      'rules/duo.ts':
        IMPORT +
        "export const duo_off = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], disabled: true }, () => true);\n" +
        "export const duo_on = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    expect(pipeline.problems).toEqual([]);
    expect(pipeline.rules.map((rule) => [rule.name, rule.disabled ?? false])).toEqual([
      ['duo_off', true],
      ['duo_on', false],
    ]);
    expect(fired(pipeline, duoRecord())).toEqual(['duo_on']);
  });

  it('are still checked: a disabled rule with an unconfigured output is a load problem', async () => {
    const { pipeline } = await pipelineOf({ 'rules/duo.ts': IMPORT + "export const duo_off = rule({ logs: ['duo:authentication'], outputs: ['slack:nope'], disabled: true }, () => true);\n" });
    expect(pipeline.problems.map((problem) => problem.message)).toEqual([expect.stringContaining("rule duo_off: output 'slack:nope' is not configured")]);
  });
});

describe('matchers', () => {
  const MATCHERS = {
    'matchers/default.ts':
      IMPORT +
      "export const fraud = matcher('duo_fraud_result', { logs: ['duo:authentication'] }, (rec) => rec.result === 'fraud');\n" +
      "matcher('push', { logs: ['duo:authentication'] }, (rec) => rec.factor === 'duo_push');\n" +
      "matcher('root', { logs: ['cloudtrail:events'] }, (rec) => rec.userIdentity.type === 'Root');\n",
  };

  it('a rule runs only on records all its matchers match, named or imported', async () => {
    const { pipeline } = await pipelineOf({
      ...MATCHERS,
      'rules/duo.ts':
        IMPORT +
        "import { fraud } from '../matchers/default.ts';\n" +
        "export const duo_push_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: [fraud, 'push'] }, () => true);\n",
    });
    expect(pipeline.problems).toEqual([]);
    expect(fired(pipeline, duoRecord())).toEqual(['duo_push_fraud']);
    expect(fired(pipeline, duoRecord({ factor: 'sms' }))).toEqual([]);
    expect(fired(pipeline, duoRecord({ result: 'success' }))).toEqual([]);
  });

  it('an unknown matcher, or one for other log types, disables only that rule, with the nearest name', async () => {
    const { pipeline } = await pipelineOf({
      ...MATCHERS,
      'rules/duo.ts':
        IMPORT +
        "export const typo = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: ['pushh'] }, () => true);\n" +
        "export const wrong_log = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: ['root'] }, () => true);\n" +
        "export const fine = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: ['push'] }, () => true);\n",
    });
    expect(pipeline.problems.map((problem) => [problem.name, problem.message])).toEqual([
      ['typo', "rules/duo.ts: rule typo: unknown matcher 'pushh'; did you mean 'push'?"],
      ['wrong_log', "rules/duo.ts: rule wrong_log: matcher 'root' is for log types cloudtrail:events, none of the rule's (duo:authentication), so the rule could never run; change the rule's logs or the matcher's"],
    ]);
    expect(pipeline.rules.map((rule) => rule.name)).toEqual(['fine']);
    expect(fired(pipeline, duoRecord())).toEqual(['fine']);
  });

  it('a matcher that throws is an error of the rule, which does not run; the others do', async () => {
    const { pipeline, events } = await pipelineOf({
      'matchers/broken.ts': IMPORT + "matcher('deep', {}, (rec) => rec.user.missing.name === 'x');\n",
      'rules/duo.ts':
        IMPORT +
        "export const uses_deep = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: ['deep'] }, () => true);\n" +
        "export const plain = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    expect(fired(pipeline, duoRecord())).toEqual(['plain']);
    expect(events).toMatchObject([{ kind: 'rule-error', rule: 'uses_deep', error: expect.stringMatching(/^matcher 'deep' threw TypeError: Cannot read properties of undefined/) }]);
    expect(pipeline.stats.ruleErrorsByRule).toEqual({ uses_deep: 1 });
  });

  it('two matchers of one name: the second is a problem, the first is used', async () => {
    const { pipeline } = await pipelineOf({
      ...MATCHERS,
      'matchers/more.ts': IMPORT + "matcher('push', {}, () => false);\n",
      'rules/duo.ts': IMPORT + "export const r = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], matchers: ['push'] }, () => true);\n",
    });
    expect(pipeline.problems.map((problem) => problem.message)).toEqual(["matchers/more.ts: matcher 'push' is already declared in matchers/default.ts; matcher names must be unique"]);
    expect(fired(pipeline, duoRecord())).toEqual(['r']);
  });
});

describe('datatypes and normalized values', () => {
  it('a rule with datatypes and no logs runs on every log type normalizing one, only on records that have a value', async () => {
    const { pipeline } = await pipelineOf({
      'rules/ips.ts':
        IMPORT +
        "export const internal_source = rule({ datatypes: ['sourceAddress'], outputs: ['slack:sec-alerts'] }, (rec) => rec.normalized('sourceAddress').some((ip) => inNetwork(ip, ['198.51.100.0/24'])));\n",
    });
    expect(pipeline.problems).toEqual([]);
    expect(pipeline.rules[0]!.logs).toEqual(['cloudtrail:events', 'duo:authentication']);
    expect(fired(pipeline, trail())).toEqual(['internal_source']);
    expect(fired(pipeline, duoRecord())).toEqual(['internal_source']);
    expect(fired(pipeline, duoRecord({ access_device: { os: 'Mac OS X' } }))).toEqual([]);
    expect(fired(pipeline, trail({ sourceIPAddress: '203.0.113.9' }))).toEqual([]);
  });

  it('fetchValuesByDatatype and streamalert_normalization in a rule, as StreamAlert rules read them; the alert record stays as classified', async () => {
    const { pipeline } = await pipelineOf({
      'rules/duo.ts':
        IMPORT +
        "export const bob = rule({ logs: ['duo:authentication'], datatypes: ['userName'], outputs: ['slack:sec-alerts'] }, (rec) => fetchValuesByDatatype(rec, 'userName').includes('bob@example.com') && rec['streamalert_normalization'].userName.length === 1);\n",
    });
    const [alert] = pipeline.process(duoRecord());
    expect(alert?.ruleName).toBe('bob');
    expect(JSON.parse(JSON.stringify(alert!.record))).toEqual(duoRecord());
  });

  it('a rule none of whose datatypes its log types normalize is a load problem', async () => {
    const { pipeline } = await pipelineOf({
      'rules/gh.ts': IMPORT + "export const gh = rule({ logs: ['github:audit'], datatypes: ['sourceAddress'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    expect(pipeline.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('rule gh: none of its log types (github:audit) normalizes any of its datatypes (sourceAddress)')]);
  });

  it('record.normalized() is there on records of log types that normalize nothing', async () => {
    const { pipeline } = await pipelineOf({
      'rules/gh.ts': IMPORT + "export const gh = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, (rec) => rec.normalized('sourceAddress').length === 0);\n",
    });
    expect(fired(pipeline, { action: 'repo.create', actor: 'octocat', created_at: 1715675412 })).toEqual(['gh']);
  });
});

describe('staged rules', () => {
  const STAGED = IMPORT + "export const duo_new = rule({ logs: ['duo:authentication'], outputs: ['pagerduty:oncall'], dynamicOutputs: [() => 'slack:sec-alerts'], staged: true }, () => true);\n";

  it("raise alerts flagged staged: true that go only to staging.outputs, the rule's own outputs not asked", async () => {
    const { pipeline } = await pipelineOf({ 'conf/global.json': { staging: { outputs: ['aws-s3:audit'] } }, 'rules/duo.ts': STAGED });
    const [alert] = pipeline.process(duoRecord());
    expect(alert).toMatchObject({ ruleName: 'duo_new', staged: true, outputs: ['aws-s3:audit'] });
    expect(pipeline.rules[0]!.outputs).toEqual(['pagerduty:oncall']);
  });

  it('without staging.outputs, their alerts have no outputs: stored, not sent', async () => {
    const { pipeline } = await pipelineOf({ 'rules/duo.ts': STAGED });
    expect(pipeline.process(duoRecord())).toMatchObject([{ staged: true, outputs: [] }]);
  });

  it('conf/rule_staging.json overrides the option either way: promoted, or staged without it', async () => {
    const { pipeline } = await pipelineOf({
      'conf/rule_staging.json': { rules: { duo_new: { staged: false, changed: '2026-01-05T10:00:00.000Z' }, duo_other: { staged: true, changed: '2026-01-05T10:00:00.000Z' } } },
      'rules/duo.ts': STAGED + "export const duo_other = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    expect(pipeline.process(duoRecord()).map(({ ruleName, staged, outputs }) => ({ ruleName, staged, outputs }))).toEqual([
      { ruleName: 'duo_new', staged: false, outputs: ['pagerduty:oncall', 'slack:sec-alerts'] },
      { ruleName: 'duo_other', staged: true, outputs: [] },
    ]);
  });

  it('a staging output that is not configured is refused with the project', () => {
    const dir = tempProject({ ...OUTPUTS, 'conf/global.json': { staging: { outputs: ['file:staging'] } } });
    expect(() => loadProject(dir)).toThrow("conf/global.json: staging.outputs names 'file:staging', which is not configured in conf/outputs.json");
  });
});

describe('a community rule on datatypes, with its test events in StreamAlert format', () => {
  it("right_to_left_character's port passes its events under rules test (normalization reaches the test engine)", async () => {
    const schema = {
      'carbonblack:ingress.event.procstart': {
        parser: 'json',
        schema: { command_line: 'string', parent_path: 'string', path: 'string', pid: 'integer', username: 'string' },
        configuration: {
          normalization: {
            command: [{ path: ['command_line'], function: 'Command line' }],
            path: [
              { path: ['path'], function: 'Process path' },
              { path: ['parent_path'], function: 'Process parent path', send_to_artifacts: false },
            ],
          },
        },
      },
    };
    const event = (commandLine: string, triggers: string[]) => ({
      data: { command_line: commandLine, parent_path: '/bin/bash', path: '/bin/bash', pid: 1234, username: 'nobody' },
      description: `${commandLine} ${triggers.length > 0 ? 'alerts' : 'does not alert'}`,
      log: 'carbonblack:ingress.event.procstart',
      service: 's3',
      source: 'prefix.cluster.sample.bucket',
      trigger_rules: triggers,
    });
    const dir = tempProject({
      ...OUTPUTS,
      'conf/schemas/carbonblack.json': schema,
      'rules/right_to_left_character.ts':
        IMPORT +
        "const RLO = '\\u202e';\n" +
        "export const right_to_left_character = rule({ datatypes: ['command', 'path', 'file_name'], outputs: ['slack:sec-alerts'] }, (rec) =>\n" +
        "  ['command', 'path', 'file_name'].some((type) => fetchValuesByDatatype(rec, type).some((value) => typeof value === 'string' && value.includes(RLO))));\n",
      'rules/right_to_left_character.json': [event('ls -lha', []), event('evil \u202ecod.exe', ['right_to_left_character'])],
    });
    const project = loadProject(dir);
    const { schemas, rules, problems } = await loadDetection(project);
    expect(problems).toEqual([]);
    const report = runRuleTests({ dir, schemas, outputs: project.outputs }, rules, { problems });
    expect(report.outcomes.map((outcome) => [outcome.event.description, outcome.passed, outcome.errors])).toEqual([
      ['ls -lha does not alert', true, []],
      ['evil \u202ecod.exe alerts', true, []],
    ]);
  });
});
