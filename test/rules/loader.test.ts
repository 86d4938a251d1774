import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadProject } from '../../src/config/project.ts';
import { RuleLoadError } from '../../src/rules/errors.ts';
import { loadRules } from '../../src/rules/loader.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** Loads the rules of a temporary project made of the shared schemas, outputs and `files`. */
async function load(files: Record<string, string | object>) {
  const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...files });
  return loadRules({ dir, schemas: loadSchemas(dir), outputs: loadProject(dir).outputs });
}

async function loadError(files: Record<string, string | object>): Promise<Error> {
  try {
    await load(files);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleLoadError);
    expect(error).toBeInstanceOf(ConfigError);
    return error as Error;
  }
  throw new Error('expected the rules to fail to load');
}

describe('loading rules', () => {
  it('names each rule after its export and keeps its options', async () => {
    const rules = await load({
      'rules/duo/duo_fraud.ts':
        IMPORT +
        `export const duo_fraud = rule(
          { logs: ['duo:authentication'], outputs: ['slack:sec-alerts', 'aws-s3:audit'], description: 'Duo fraud', severity: 'error',
            context: { team: 'secops' }, reqSubkeys: { user: ['name'] }, publishers: { slack: 'slack_summary' } },
          (rec: { result: string }) => rec.result === 'fraud',
        );`,
      'rules/github.ts': IMPORT + "export const github_promote = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, (rec) => rec.action === 'user.promote');\n",
    });
    expect(rules.map((rule) => [rule.name, rule.file])).toEqual([
      ['duo_fraud', 'rules/duo/duo_fraud.ts'],
      ['github_promote', 'rules/github.ts'],
    ]);
    const [fraud, promote] = rules;
    expect(fraud).toMatchObject({
      logs: ['duo:authentication'],
      outputs: ['slack:sec-alerts', 'aws-s3:audit'],
      description: 'Duo fraud',
      severity: 'error',
      context: { team: 'secops' },
      reqSubkeys: { user: ['name'] },
    });
    expect(fraud!.publishers).toEqual({ kind: 'by-output', byKey: new Map([['slack', ['slack_summary']]]) });
    expect(fraud!.fn({ result: 'fraud' }, {})).toBe(true);
    expect(promote).toMatchObject({ description: '', severity: 'critical', outputs: ['slack:sec-alerts'] });
  });

  it('loads JavaScript rule files and helper modules that export no rules', async () => {
    const rules = await load({
      'rules/helpers.ts': "export const ADMINS = new Set(['alice@example.com']);\n",
      'rules/admins.js': `${IMPORT}import { ADMINS } from './helpers.ts';\nexport const admin_fraud = rule({ logs: ['duo:authentication'] }, (rec) => ADMINS.has(rec.user.name));\n`,
    });
    expect(rules.map((rule) => rule.name)).toEqual(['admin_fraud']);
    expect(rules[0]!.fn({ user: { name: 'alice@example.com' } }, {})).toBe(true);
  });

  it('treats a rule re-exported from an index file as the same rule', async () => {
    const rules = await load({
      'rules/a_rule.ts': IMPORT + "export const a_rule = rule({ logs: ['github:audit'] }, () => true);\n",
      'rules/index.ts': "export { a_rule } from './a_rule.ts';\n",
    });
    expect(rules.map((rule) => rule.name)).toEqual(['a_rule']);
  });

  it('loads publishers/ before rules/, so rules can name custom publishers', async () => {
    const rules = await load({
      'publishers/tag.ts': "import { publisher } from 'streamalert';\nexport const tag = publisher('loader_test_tag', (_alert, publication) => ({ ...publication, tagged: true }));\n",
      'rules/tagged.ts': IMPORT + "export const tagged = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'], publishers: ['loader_test_tag'] }, () => true);\n",
    });
    expect(rules[0]!.publishers).toEqual({ kind: 'every-output', names: ['loader_test_tag'] });
  });
});

describe('rule load errors name the file and the rule', () => {
  it('a duplicate rule name, with both files', async () => {
    const error = await loadError({
      'rules/a.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'] }, () => true);\n",
      'rules/b.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'] }, () => false);\n",
    });
    expect(error.message).toBe("rules/b.ts: rule 'duo_fraud' is already defined in rules/a.ts; rule names must be unique");
  });

  it('an output that is not in conf/outputs.json, with the rule, the output and the fix', async () => {
    const error = await loadError({
      'rules/root.ts': IMPORT + "export const root_usage = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts', 'pagerduty:secops'] }, () => true);\n",
    });
    expect(error.message).toContain("rules/root.ts: rule root_usage: output 'pagerduty:secops' is not configured in conf/outputs.json");
    expect(error.message).toContain('(configured: slack:sec-alerts, pagerduty:oncall, aws-s3:audit)');
    expect(error.message).toContain("streamalert output new --service pagerduty");
  });

  it.each([
    ['a log type no schema declares', "{ logs: ['cloudtrail:event'] }", "rule r: log type 'cloudtrail:event' is not declared in conf/schemas (known: cloudtrail:events, duo:authentication, github:audit)"],
    ['no logs', '{ outputs: [] }', "rule r: needs 'logs'"],
    ['an unknown option', "{ logs: ['github:audit'], output: ['slack:sec-alerts'] }", "rule r: unknown option 'output'"],
    ['an unknown publisher', "{ logs: ['github:audit'], publishers: { slack: ['slack_sumary'] } }", "rule r: publishers.slack[0]: no publisher named 'slack_sumary'"],
    ['a malformed publishers key', "{ logs: ['github:audit'], publishers: { 'Slack Channel': 'slack_summary' } }", "rule r: publishers key 'Slack Channel' must be a service"],
    ['a bad severity', "{ logs: ['github:audit'], severity: 'high' }", 'rule r: severity must be one of critical, error, warning, info'],
    ['a context that is not an object', "{ logs: ['github:audit'], context: 'x' }", 'rule r: context must be an object'],
    ['reqSubkeys that are not lists', "{ logs: ['github:audit'], reqSubkeys: { data: 'org' } }", 'rule r: reqSubkeys.data must be a list of strings'],
    ['dynamic outputs that are not functions', "{ logs: ['github:audit'], dynamicOutputs: ['slack:sec-alerts'] }", 'rule r: dynamicOutputs must be a list of functions'],
  ])('%s', async (_name, options, message) => {
    const error = await loadError({ 'rules/r.ts': `${IMPORT}export const r = rule(${options} as never, () => true);\n` });
    expect(error.message).toContain(`rules/r.ts: ${message}`);
  });

  it('a rule that is the default export, which has no name', async () => {
    const error = await loadError({ 'rules/default.ts': IMPORT + "export default rule({ logs: ['github:audit'] }, () => true);\n" });
    expect(error.message).toContain('rules/default.ts: a rule is the default export, so it has no name');
  });

  it('a rule that is not exported', async () => {
    const error = await loadError({ 'rules/hidden.ts': IMPORT + "const hidden = rule({ logs: ['github:audit'] }, () => true);\nvoid hidden;\n" });
    expect(error.message).toContain('1 rule(s) (logs ["github:audit"]) are not exported, so they have no name');
  });

  it('a rule exported under two names', async () => {
    const error = await loadError({ 'rules/twice.ts': IMPORT + "export const first = rule({ logs: ['github:audit'] }, () => true);\nexport { first as second };\n" });
    expect(error.message).toContain("rules/twice.ts: rule 'first' is also exported as 'second'");
  });

  it('a file that does not compile or throws when loaded, naming the file', async () => {
    const syntax = await loadError({ 'rules/broken.ts': IMPORT + 'export const broken = rule({ logs: [ }, () => true);\n' });
    expect(syntax.message).toMatch(/^rules\/broken\.ts could not be loaded \(.+\); fix the file$/s);
    const throwing = await loadError({ 'rules/throws.ts': "throw new Error('lookup table missing');\n" });
    expect(throwing.message).toBe('rules/throws.ts could not be loaded (Error: lookup table missing); fix the file');
  });
});
