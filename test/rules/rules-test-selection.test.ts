import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { duoRecord, OUTPUTS, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const IMPORT = "import { rule } from 'streamalert';\n";
/** Two rules in a file named after neither: StreamAlert projects often group rules so. */
const FRAUD_RULES = {
  'rules/duo/fraud.ts':
    IMPORT +
    "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n" +
    "export const duo_denied = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'denied');\n",
};
const event = (description: string, result: string, trigger_rules: string[]) => ({ data: duoRecord({ result }), description, log: 'duo:authentication', service: 'streamalert_app', source: 'duo', trigger_rules });

function rulesTest(dir: string, ...args: string[]) {
  return streamalert(['--project', dir, 'rules', 'test', ...args], { env: isolatedEnv() });
}

describe('streamalert rules test: which events run, and what a wrong name says', () => {
  it('with --rule, runs the events of the file beside the rule, those expecting nothing included, and those expecting it elsewhere', () => {
    const dir = tempProject({
      ...SCHEMAS,
      ...OUTPUTS,
      ...FRAUD_RULES,
      'rules/duo/fraud.json': [event('fraud alerts', 'fraud', ['duo_fraud']), event('success raises nothing', 'success', [])],
      'rules/other/more.json': [event('fraud from elsewhere', 'fraud', ['duo_fraud']), event('not this rule', 'success', [])],
    });
    const run = rulesTest(dir, '--rule', 'duo_fraud');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        'rules/duo/fraud.json',
        '  pass  #1  fraud alerts',
        '  pass  #2  success raises nothing',
        '',
        'rules/other/more.json',
        '  pass  #1  fraud from elsewhere',
        '',
        'Rule tests: 3 events, 3 passed, 0 failed',
        '',
      ].join('\n'),
    );
  });

  it('fails an event expecting a rule that does not exist, saying so with the nearest name', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, ...FRAUD_RULES, 'rules/duo/fraud.json': [event('fraud alerts', 'fraud', ['duo_frad']), event('typo without a near rule', 'success', ['okta_lockout'])] });
    const run = rulesTest(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      [
        '  FAIL  #1  fraud alerts',
        '        classified as:  duo:authentication (expected duo:authentication)',
        '        expected rules: duo_frad',
        '        fired rules:    duo_fraud',
        "        error: unknown rule 'duo_frad' in trigger_rules; did you mean 'duo_fraud'?",
        "  FAIL  #2  typo without a near rule",
      ].join('\n'),
    );
    expect(run.stdout).toContain("        error: unknown rule 'okta_lockout' in trigger_rules; the rules are: duo_denied, duo_fraud\n");
  });

  it('says a rule file that did not load may define the unknown rule', () => {
    const dir = tempProject({ ...SCHEMAS, ...OUTPUTS, 'rules/broken.ts': IMPORT + "throw new Error('lookup table missing');\n", 'rules/broken.json': [event('fraud alerts', 'fraud', ['duo_fraud'])] });
    const run = rulesTest(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("        error: unknown rule 'duo_fraud' in trigger_rules; the rules are: none (unless rules/broken.ts, which did not load, defines it)\n");
  });
});
