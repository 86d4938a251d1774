import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, streamalert } from '../support/cli.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';

const GOOD_RULE = "import { rule } from 'streamalert';\n\nexport const fine = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n";

describe('streamalert rules check', () => {
  it('prints each problem as file:line:column, a summary, and exits 1', () => {
    const dir = tempProject({
      'rules/duo/fine.ts': GOOD_RULE,
      'rules/duo/duo_fraud.ts': "import { rule } from 'streamalert';\n\nexport const duo_fraud = rule(\n  { logs: ['duo:authentication'], outputs: 'slack:sec-alerts' },\n  (rec) => rec.result === 'fraud',\n);\n",
      'outputs/teams.ts': "export const retries: number = 'three';\n",
    });

    const check = streamalert(['--project', dir, 'rules', 'check'], { env: isolatedEnv() });

    expect(check.stdout.split('\n')).toEqual([
      "outputs/teams.ts:1:14 error TS2322: Type 'string' is not assignable to type 'number'.",
      "rules/duo/duo_fraud.ts:4:35 error TS2322: Type 'string' is not assignable to type 'readonly string[]'.",
      '',
    ]);
    expect(check.stderr).toBe('error: 2 problems in 2 files\n');
    expect(check.status).toBe(1);
  });

  it('says how many files it checked when there is no problem, and exits 0', () => {
    const dir = tempProject({ 'rules/a.ts': GOOD_RULE, 'rules/b.mts': GOOD_RULE.replace('fine', 'also_fine') });

    const check = streamalert(['rules', 'check'], { cwd: dir, env: isolatedEnv() });

    expect(check.stdout).toBe('2 files checked, no problems\n');
    expect(check.status, check.stderr).toBe(0);
  });

  it('prints the first 100 problems and how many more there are', () => {
    const lines = Array.from({ length: 105 }, (_, i) => `export const n${i}: number = 'x';`);
    const dir = tempProject({ 'rules/many.ts': `${lines.join('\n')}\n` });

    const check = streamalert(['--project', dir, 'rules', 'check'], { env: isolatedEnv() });

    const printed = check.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(101);
    expect(printed[99]).toMatch(/^rules\/many\.ts:100:14 error TS2322: /);
    expect(printed[100]).toBe('... and 5 more');
    expect(check.stderr).toBe('error: 105 problems in 1 file\n');
    expect(check.status).toBe(1);
  });

  it('reports a broken tsconfig.json as bad configuration (exit 2), naming where it is broken', () => {
    const dir = tempProject({ 'rules/a.ts': GOOD_RULE, 'tsconfig.json': '{\n  "compilerOptions": { "moduleResolution": "sideways" }\n}\n' });

    const check = streamalert(['--project', dir, 'rules', 'check'], { env: isolatedEnv() });

    expect(check.stderr).toMatch(/^error: tsconfig\.json:2:44 error TS6046: Argument for '--moduleResolution' option must be: /);
    expect(check.stdout).toBe('');
    expect(check.status).toBe(2);
  });

  it('exits 2 outside a project (no rules/ folder), 0 with nothing to check', () => {
    const nowhere = tempDir();
    const outside = streamalert(['--project', nowhere, 'rules', 'check'], { env: isolatedEnv() });
    expect(outside.stderr).toBe(`error: no rules/ folder in ${nowhere}: run this in a project folder ('streamalert init' writes one), or pass --project DIR\n`);
    expect(outside.status).toBe(2);

    const javascriptOnly = tempProject({ 'rules/a.js': 'export const x = 1;\n' });
    const nothing = streamalert(['--project', javascriptOnly, 'rules', 'check'], { env: isolatedEnv() });
    expect(nothing.stdout).toBe('No TypeScript files under rules/, matchers/, publishers/, outputs/: nothing to check.\n');
    expect(nothing.status, nothing.stderr).toBe(0);
  });

  it("passes the quickstart's rules, and those of the project init writes", () => {
    const quickstart = streamalert(['--project', join(ROOT, 'examples', 'quickstart'), 'rules', 'check'], { env: isolatedEnv() });
    expect(quickstart.stdout).toBe('5 files checked, no problems\n');
    expect(quickstart.status, quickstart.stderr).toBe(0);

    const dir = tempDir();
    const env = isolatedEnv();
    expect(streamalert(['--project', dir, 'init'], { env }).status).toBe(0);
    const scaffold = streamalert(['--project', dir, 'rules', 'check'], { env });
    expect(scaffold.stdout).toBe('5 files checked, no problems\n');
    expect(scaffold.status, scaffold.stderr).toBe(0);
  });
});
