import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/classifier/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadDetection } from '../../src/pipeline/load.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { RuleLoadError } from '../../src/rules/errors.ts';
import { OUTPUTS, SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** A CSV log type beside the shared schemas: a feature the classifier does not support. */
const UNKNOWN_PARSER_SCHEMA = { 'conf/schemas/vpc.json': { 'vpc:flow': { parser: 'xml', schema: { srcaddr: 'string' } } } };

const RULES = {
  'rules/flow.ts': IMPORT + "export const flow_only = rule({ logs: ['vpc:flow'], outputs: ['slack:sec-alerts'] }, () => true);\n",
  'rules/both.ts': IMPORT + "export const flow_or_duo = rule({ logs: ['vpc:flow', 'duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n",
  'rules/duo.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n",
};

describe('loading what detection runs on', () => {
  it('a schema with an unsupported parser disables its log type and the rules on only that log type', async () => {
    const project = loadProject(tempProject({ ...SCHEMAS, ...OUTPUTS, ...UNKNOWN_PARSER_SCHEMA, ...RULES }));
    const { schemas, rules, problems } = await loadDetection(project);
    expect(schemas.map((schema) => schema.name)).not.toContain('vpc:flow');
    expect(rules.map((rule) => [rule.name, rule.logs])).toEqual([
      ['flow_or_duo', ['duo:authentication']],
      ['duo_fraud', ['duo:authentication']],
    ]);
    expect(problems.map(({ kind, name, disables }) => ({ kind, name, disables }))).toEqual([
      { kind: 'log-type', name: 'vpc:flow', disables: 'log type vpc:flow' },
      { kind: 'rule', name: 'flow_only', disables: 'rule flow_only' },
    ]);
    expect(problems[1]!.message).toBe(
      "rules/flow.ts: rule flow_only: its log type(s) 'vpc:flow' are disabled by a problem in conf/schemas/vpc.json; fix the schema or change the rule",
    );
  });

  it('the rules that loaded still raise alerts, and the pipeline keeps the problems for the summary', async () => {
    const pipeline = await Pipeline.load(loadProject(tempProject({ ...SCHEMAS, ...OUTPUTS, ...UNKNOWN_PARSER_SCHEMA, ...RULES })), { onEvent: () => {} });
    expect(pipeline.process(duoRecord()).map((alert) => alert.ruleName)).toEqual(['flow_or_duo', 'duo_fraud']);
    expect(pipeline.problems).toHaveLength(2);
  });

  it('with strict, refuses with every problem and what --strict does, as the error of the first', async () => {
    const project = loadProject(tempProject({ ...SCHEMAS, ...OUTPUTS, ...UNKNOWN_PARSER_SCHEMA, ...RULES }));
    const refusal = await loadDetection(project, { strict: true }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SchemaError);
    expect((refusal as Error).message.split('\n')).toEqual([
      expect.stringContaining("conf/schemas/vpc.json: vpc:flow: parser 'xml' is not one of StreamAlert's parsers"),
      expect.stringContaining('rules/flow.ts: rule flow_only: its log type(s)'),
      '2 load problems: --strict refuses to start (without it, only what each names is disabled)',
    ]);

    const ruleOnly = loadProject(tempProject({ ...SCHEMAS, ...OUTPUTS, 'rules/r.ts': IMPORT + "export const r = rule({ logs: ['duo:authentication'] }, () => true);\n" }));
    await expect(loadDetection(ruleOnly, { strict: true })).rejects.toBeInstanceOf(RuleLoadError);
    await expect(loadDetection(ruleOnly)).resolves.toMatchObject({ rules: [], problems: [{ name: 'r' }] });
  });
});
