import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTypeProblem, TsconfigError, typeCheckProject } from '../../src/rules/typecheck.ts';
import { tempProject } from '../support/rules-project.ts';

const GOOD_RULE = `import { rule } from 'streamalert';

export const duo_fraud = rule(
  { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], description: 'Duo marked a login as fraud' },
  (rec) => rec.result === 'fraud',
);
`;

// Line 5, column 5: \`outputs\` takes a list.
const OUTPUTS_NOT_A_LIST = `import { rule } from 'streamalert';

export const duo_fraud_string_output = rule(
  {
    outputs: 'slack:sec-alerts',
    logs: ['duo:authentication'],
  },
  (rec) => rec.result === 'fraud',
);
`;

describe('typeCheckProject', () => {
  it("names the file, line and column of a rule's type error, and only the rules that have one", async () => {
    const dir = tempProject({ 'rules/duo/duo_fraud.ts': GOOD_RULE, 'rules/duo/bad_outputs.ts': OUTPUTS_NOT_A_LIST });

    const { files, problems } = await typeCheckProject(dir);

    expect(files).toEqual(['rules/duo/bad_outputs.ts', 'rules/duo/duo_fraud.ts']);
    expect(problems.map(formatTypeProblem)).toEqual(["rules/duo/bad_outputs.ts:5:5 error TS2322: Type 'string' is not assignable to type 'readonly string[]'."]);
  });

  it("catches a misspelled option of rule({...}) and says which it meant", async () => {
    const dir = tempProject({
      'rules/typo.ts': "import { rule } from 'streamalert';\nexport const typo = rule({ logs: ['duo:authentication'], outptus: ['slack:sec-alerts'] }, () => true);\n",
    });

    const { problems } = await typeCheckProject(dir);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'rules/typo.ts', line: 2, column: 58, category: 'error', code: 2561 });
    expect(problems[0]!.message).toMatch(/'outptus' does not exist in type 'RuleOptions.*Did you mean to write 'outputs'\?/);
  });

  it('gives a message chain on one line', async () => {
    const dir = tempProject({ 'outputs/helpers.ts': 'export const parse: (text: number) => string = (text: string) => text;\n' });

    const { problems } = await typeCheckProject(dir);

    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^Type '\(text: string\) => string' is not assignable to type '\(text: number\) => string'\. Types of parameters 'text' and 'text' are incompatible\. /);
    expect(problems[0]!.message).not.toContain('\n');
  });

  it("checks outputs/ and publishers/ too, and the project's files they import", async () => {
    const dir = tempProject({
      'rules/uses_helper.ts': "import { rule } from 'streamalert';\nimport { isFraud } from '../lib/duo.ts';\nexport const fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, isFraud);\n",
      'lib/duo.ts': "export const isFraud = (rec: { result: string }): boolean => rec.result === 42;\n",
      'publishers/tidy.ts': "import { publisher } from 'streamalert';\nexport const tidy = publisher('tidy', (alert, publication) => ({ ...publication, extra: alert.nonexistent }));\n",
    });

    const { files, problems } = await typeCheckProject(dir);

    expect(files).toEqual(['lib/duo.ts', 'publishers/tidy.ts', 'rules/uses_helper.ts']);
    expect(problems.map((problem) => `${problem.file}:${problem.line} TS${problem.code}`)).toEqual(['lib/duo.ts:1 TS2367', 'publishers/tidy.ts:2 TS2339']);
  });

  it('checks an output service of the project, @output decorator and all, against OutputBase', async () => {
    const service = (returns: string) => `import { OutputBase, output, descriptorProperty, delivered, type Alert, type DispatchResult } from 'streamalert';

@output
export class PagerOutput extends OutputBase {
  static override readonly service = 'pager';
  static override readonly displayName = 'Pager';
  static override readonly properties = { descriptor: descriptorProperty('Pager', 'team') };

  async dispatch(alert: Alert): Promise<DispatchResult> {
    return ${returns};
  }
}
`;
    const fine = tempProject({ 'rules/.gitkeep': '', 'outputs/pager.ts': service('alert.ruleName === "" ? delivered() : delivered()') });
    const wrong = tempProject({ 'rules/.gitkeep': '', 'outputs/pager.ts': service("'sent'") });

    expect((await typeCheckProject(fine)).problems).toEqual([]);
    expect((await typeCheckProject(wrong)).problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} TS${problem.code}`)).toEqual(['outputs/pager.ts:10:5 TS2322']);
  });

  it('reports nothing from node_modules, only the project file that uses it', async () => {
    const dir = tempProject({
      'node_modules/sloppy/package.json': { name: 'sloppy', type: 'module', exports: './index.ts' },
      'node_modules/sloppy/index.ts': "export const count: number = 'many';\nexport function twice(n: number): number { return n * 2; }\n",
      'rules/uses_sloppy.ts': "import { twice } from 'sloppy';\nexport const doubled: string = twice(2);\n",
    });

    const { problems } = await typeCheckProject(dir);

    expect(problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} TS${problem.code}`)).toEqual(['rules/uses_sloppy.ts:2:14 TS2322']);
  });

  it("honours a stricter option of the project's tsconfig.json, and its absence means the scaffold's defaults", async () => {
    const rule = "import { rule } from 'streamalert';\nconst unused = 1;\nexport const r = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, () => true);\n";
    const lenient = tempProject({ 'rules/r.ts': rule });
    const strict = tempProject({ 'rules/r.ts': rule, 'tsconfig.json': { compilerOptions: { module: 'NodeNext', strict: true, noUnusedLocals: true }, include: ['src'] } });

    expect((await typeCheckProject(lenient)).problems).toEqual([]);
    expect((await typeCheckProject(strict)).problems.map(formatTypeProblem)).toEqual(["rules/r.ts:2:7 error TS6133: 'unused' is declared but its value is never read."]);
  });

  it('imports streamalert as the running copy, whatever paths the tsconfig maps it to', async () => {
    const dir = tempProject({
      'rules/r.ts': "import { rule } from 'streamalert';\nexport const r = rule({ logs: ['duo:authentication'], outptus: [] }, () => true);\n",
      'tsconfig.json': { compilerOptions: { module: 'NodeNext', strict: true, paths: { streamalert: ['./nowhere.ts'] } } },
    });

    expect((await typeCheckProject(dir)).problems.map((problem) => problem.code)).toEqual([2561]);
  });

  it('reports a tsconfig.json that is not JSON, or names an unknown option, as the problem it is', async () => {
    const notJson = tempProject({ 'rules/r.ts': GOOD_RULE, 'tsconfig.json': '{ "compilerOptions": { "strict": true,, } }\n' });
    const unknownOption = tempProject({ 'rules/r.ts': GOOD_RULE, 'tsconfig.json': '{\n  "compilerOptions": {\n    "stirct": true\n  }\n}\n' });

    await expect(typeCheckProject(notJson)).rejects.toThrow(TsconfigError);
    await expect(typeCheckProject(notJson)).rejects.toThrow(/^tsconfig\.json:1:\d+ error TS1136: Property assignment expected\./);
    await expect(typeCheckProject(unknownOption)).rejects.toThrow("tsconfig.json:3:5 error TS5025: Unknown compiler option 'stirct'. Did you mean 'strict'?");
  });

  it('checks nothing in a project without TypeScript files', async () => {
    const dir = tempProject({ 'rules/legacy.js': 'export const x = 1;\n' });
    mkdirSync(join(dir, 'outputs'));
    writeFileSync(join(dir, 'outputs', 'notes.md'), 'not code\n');

    expect(await typeCheckProject(dir)).toEqual({ files: [], problems: [] });
  });
});
