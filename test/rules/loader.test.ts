import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/classifier/schema.ts';
import type { LoadProblem } from '../../src/config/load-problem.ts';
import { loadProject } from '../../src/config/project.ts';
import { loadRules } from '../../src/rules/loader.ts';
import { OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** Loads the rules of a temporary project made of the shared schemas, outputs and `files`. */
async function load(files: Record<string, string | object>) {
  const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...files });
  return loadRules({ dir, schemas: loadSchemas(dir).schemas, outputs: loadProject(dir).outputs });
}

/** Rules that load without a problem. */
async function loadClean(files: Record<string, string | object>) {
  const { rules, problems } = await load(files);
  expect(problems).toEqual([]);
  return rules;
}

/** The one problem of a project whose only rule does not load. */
async function loadError(files: Record<string, string | object>): Promise<LoadProblem> {
  const { rules, problems } = await load(files);
  expect(rules).toEqual([]);
  expect(problems).toHaveLength(1);
  expect(problems[0]!.kind).toBe('rule');
  return problems[0]!;
}

describe('loading rules', () => {
  it('names each rule after its export and keeps its options', async () => {
    const rules = await loadClean({
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
    const rules = await loadClean({
      'rules/helpers.ts': "export const ADMINS = new Set(['alice@example.com']);\n",
      'rules/admins.js': `${IMPORT}import { ADMINS } from './helpers.ts';\nexport const admin_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => ADMINS.has(rec.user.name));\n`,
    });
    expect(rules.map((rule) => rule.name)).toEqual(['admin_fraud']);
    expect(rules[0]!.fn({ user: { name: 'alice@example.com' } }, {})).toBe(true);
  });

  it('treats a rule re-exported from an index file as the same rule', async () => {
    const rules = await loadClean({
      'rules/a_rule.ts': IMPORT + "export const a_rule = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, () => true);\n",
      'rules/index.ts': "export { a_rule } from './a_rule.ts';\n",
    });
    expect(rules.map((rule) => rule.name)).toEqual(['a_rule']);
  });

  it('loads publishers/ before rules/, so rules can name custom publishers', async () => {
    const rules = await loadClean({
      'publishers/tag.ts': "import { publisher } from 'streamalert';\nexport const tag = publisher('loader_test_tag', (_alert, publication) => ({ ...publication, tagged: true }));\n",
      'rules/tagged.ts': IMPORT + "export const tagged = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'], publishers: ['loader_test_tag'] }, () => true);\n",
    });
    expect(rules[0]!.publishers).toEqual({ kind: 'every-output', names: ['loader_test_tag'] });
  });
});

describe('rule load problems name the file and the rule, and disable only that rule', () => {
  it('a duplicate rule name, with both files; the first one runs', async () => {
    const { rules, problems } = await load({
      'rules/a.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
      'rules/b.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => false);\n",
    });
    expect(rules.map((rule) => rule.file)).toEqual(['rules/a.ts']);
    expect(problems.map((problem) => problem.message)).toEqual(["rules/b.ts: rule 'duo_fraud' is already defined in rules/a.ts; rule names must be unique"]);
  });

  it('a broken file and a rule naming an unconfigured output leave the other rules loaded', async () => {
    const { rules, problems } = await load({
      'rules/broken.ts': IMPORT + 'export const broken = rule({ logs: [ }, () => true);\n',
      'rules/good.ts': IMPORT + "export const good = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n",
      'rules/page.ts': IMPORT + "export const page_me = rule({ logs: ['duo:authentication'], outputs: ['pagerduty:secops'] }, () => true);\n",
    });
    expect(rules.map((rule) => rule.name)).toEqual(['good']);
    expect(problems.map(({ kind, file, name, disables }) => ({ kind, file, name, disables }))).toEqual([
      { kind: 'rule', file: 'rules/broken.ts', name: undefined, disables: 'everything in rules/broken.ts' },
      { kind: 'rule', file: 'rules/page.ts', name: 'page_me', disables: 'rule page_me' },
    ]);
  });

  it('a rule with no outputs, so its alerts would go nowhere; dynamic outputs alone are enough', async () => {
    const error = await loadError({ 'rules/r.ts': IMPORT + "export const nowhere = rule({ logs: ['github:audit'] }, () => true);\n" });
    expect(error.message).toBe(
      "rules/r.ts: rule nowhere: has no outputs, so its alerts would go nowhere; add outputs: ['service:descriptor'] (configured: slack:sec-alerts, pagerduty:oncall, aws-s3:audit) or dynamicOutputs, or route alerts by severity (conf/global.json routing)",
    );
    expect(error).toMatchObject({ name: 'nowhere', disables: 'rule nowhere' });
    const rules = await loadClean({ 'rules/d.ts': IMPORT + "export const routed = rule({ logs: ['github:audit'], dynamicOutputs: [() => 'slack:sec-alerts'] }, () => true);\n" });
    expect(rules.map((rule) => rule.name)).toEqual(['routed']);
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
    ['an unknown publisher', "{ logs: ['github:audit'], outputs: ['slack:sec-alerts'], publishers: { slack: ['slack_sumary'] } }", "rule r: publishers.slack[0]: no publisher named 'slack_sumary'"],
    ['a malformed publishers key', "{ logs: ['github:audit'], outputs: ['slack:sec-alerts'], publishers: { 'Slack Channel': 'slack_summary' } }", "rule r: publishers key 'Slack Channel' must be a service"],
    ['a bad severity', "{ logs: ['github:audit'], outputs: ['slack:sec-alerts'], severity: 'high' }", 'rule r: severity must be one of critical, error, warning, info'],
    ['a context that is not an object', "{ logs: ['github:audit'], outputs: ['slack:sec-alerts'], context: 'x' }", 'rule r: context must be an object'],
    ['reqSubkeys that are not lists', "{ logs: ['github:audit'], outputs: ['slack:sec-alerts'], reqSubkeys: { data: 'org' } }", 'rule r: reqSubkeys.data must be a list of strings'],
    ['dynamic outputs that are not functions', "{ logs: ['github:audit'], dynamicOutputs: ['slack:sec-alerts'] }", 'rule r: dynamicOutputs must be a list of functions'],
  ])('%s', async (_name, options, message) => {
    const error = await loadError({ 'rules/r.ts': `${IMPORT}export const r = rule(${options} as never, () => true);\n` });
    expect(error.message).toContain(`rules/r.ts: ${message}`);
  });

  it('a rule that is the default export, which has no name', async () => {
    const error = await loadError({ 'rules/default.ts': IMPORT + "export default rule({ logs: ['github:audit'] }, () => true);\n" });
    expect(error.message).toContain('rules/default.ts: a rule is the default export, so it has no name');
  });

  it('a rule that is not exported, naming the file that made it', async () => {
    const error = await loadError({ 'rules/hidden.ts': IMPORT + "const hidden = rule({ logs: ['github:audit'] }, () => true);\nvoid hidden;\n" });
    expect(error.message).toContain('rules/hidden.ts: 1 rule(s) (logs ["github:audit"]) are not exported, so they have no name');
  });

  it('a rule exported under two names', async () => {
    const error = await loadError({ 'rules/twice.ts': IMPORT + "export const first = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, () => true);\nexport { first as second };\n" });
    expect(error.message).toContain("rules/twice.ts: rule 'first' is also exported as 'second'");
  });

  it('a file that does not compile or throws when loaded, naming the file, on one line', async () => {
    const syntax = await loadError({ 'rules/broken.ts': IMPORT + 'export const broken = rule({ logs: [ }, () => true);\n' });
    expect(syntax.message).toMatch(/^rules\/broken\.ts could not be loaded \(.+\); fix the file$/);
    expect(syntax.message).not.toContain('\n');
    const throwing = await loadError({ 'rules/throws.ts': "throw new Error('lookup table missing');\n" });
    expect(throwing.message).toBe('rules/throws.ts could not be loaded (Error: lookup table missing); fix the file');
  });

  it('a file that throws after creating rules: one problem for the file, not also for its rules', async () => {
    const error = await loadError({ 'rules/late.ts': IMPORT + "export const late = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, () => true);\nthrow Object.create(null);\n" });
    expect(error.message).toBe('rules/late.ts could not be loaded ([Object: null prototype] {} (an object with no prototype) was thrown, not an Error); fix the file');
  });

  it('a file that calls process.exit while loading, even one that catches what stops it; the process goes on and other files load', async () => {
    const { rules, problems } = await load({
      'rules/a_exits.ts': IMPORT + "export const a = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, () => true);\nprocess.exit(0);\n",
      'rules/b_exits_quietly.ts': "try { process.reallyExit(3); } catch {}\n",
      'rules/c_fine.ts': IMPORT + "export const fine = rule({ logs: ['github:audit'], outputs: ['slack:sec-alerts'] }, () => true);\n",
    });
    expect(rules.map((rule) => rule.name)).toEqual(['fine']);
    expect(problems.map((problem) => problem.message)).toEqual([
      'rules/a_exits.ts could not be loaded (RuleExitError: called process.exit(0); rule files, rules and publishers must not end the process (throw an Error to report a problem)); fix the file',
      'rules/b_exits_quietly.ts could not be loaded (it called process.exit and caught the RuleExitError that stopped it; rule files must not end the process); fix the file',
    ]);
  });
});
