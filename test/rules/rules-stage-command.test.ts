import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { duoRecord, SCHEMAS, tempProject } from '../support/rules-project.ts';

// `streamalert rules stage|promote NAME` and what a staged rule's alerts do in a real `run`.

const RULE = "import { rule } from 'streamalert';\nexport const duo_new = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'], staged: true }, (rec) => rec.result === 'fraud');\n";

function project(global: object = { staging: { outputs: ['file:staging'] } }) {
  return tempProject({
    'conf/global.json': global,
    'conf/outputs.json': { file: ['alerts', 'staging'] },
    'conf/output_settings.json': { file: { alerts: { path: '.streamalert/alerts.jsonl' }, staging: { path: '.streamalert/staging.jsonl' } } },
    'conf/schemas/duo.json': SCHEMAS['conf/schemas/duo.json'],
    'rules/duo.ts': RULE,
    'samples/duo.json': `${JSON.stringify(duoRecord())}\n`,
  });
}

const run = (dir: string, ...args: string[]) => streamalert(['--project', dir, ...args]);
const linesOf = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) : []);

/** Every file of the project but its local state, with its content: what a command may have changed. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).includes('.streamalert') && !entry.parentPath.includes('node_modules'));
  return Object.fromEntries(files.map((entry) => [join(entry.parentPath, entry.name).slice(dir.length + 1), readFileSync(join(entry.parentPath, entry.name), 'utf8')]));
}

describe('streamalert rules stage|promote', () => {
  it("a staged rule's alerts go only to staging.outputs, flagged staged; promoted, to its own outputs; only conf/rule_staging.json changes", () => {
    const dir = project();
    const staged = run(dir, 'run', '--input', join(dir, 'samples', 'duo.json'));
    expect(staged.status, staged.stderr).toBe(0);
    expect(linesOf(join(dir, '.streamalert', 'staging.jsonl'))).toMatchObject([{ rule_name: 'duo_new' }]);
    expect(existsSync(join(dir, '.streamalert', 'alerts.jsonl'))).toBe(false);
    const shown = JSON.parse(run(dir, 'alerts', 'list', '--rule', 'duo_new', '--json').stdout) as { id: string }[];
    expect(JSON.parse(run(dir, 'alerts', 'show', shown[0]!.id, '--json').stdout)).toMatchObject({ staged: true, outputs: ['file:staging'] });

    const before = snapshot(dir);
    const promote = run(dir, 'rules', 'promote', 'duo_new');
    expect(promote.status, promote.stderr).toBe(0);
    expect(promote.stdout).toContain('Rule duo_new promoted in conf/rule_staging.json: its alerts go to its own outputs');
    const after = snapshot(dir);
    expect(Object.keys(after).filter((file) => after[file] !== before[file])).toEqual(['conf/rule_staging.json']);
    expect(JSON.parse(after['conf/rule_staging.json']!)).toEqual({ rules: { duo_new: { staged: false, changed: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } } });

    const promoted = run(dir, 'run', '--input', join(dir, 'samples', 'duo.json'));
    expect(promoted.status, promoted.stderr).toBe(0);
    expect(linesOf(join(dir, '.streamalert', 'alerts.jsonl'))).toMatchObject([{ rule_name: 'duo_new' }]);
    expect(linesOf(join(dir, '.streamalert', 'staging.jsonl'))).toHaveLength(1);
  });

  it('says so and writes nothing when the rule already is where it is asked to be', () => {
    const dir = project();
    const again = run(dir, 'rules', 'stage', 'duo_new');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("Rule duo_new is already staged (by its 'staged' option): its alerts go only to conf/global.json staging.outputs (file:staging). Nothing changed.");
    expect(existsSync(join(dir, 'conf', 'rule_staging.json'))).toBe(false);
    expect(run(dir, 'rules', 'promote', 'duo_new').status).toBe(0);
    const mtime = statSync(join(dir, 'conf', 'rule_staging.json')).mtimeMs;
    expect(run(dir, 'rules', 'promote', 'duo_new').stdout).toContain(`already promoted (in conf/rule_staging.json)`);
    expect(statSync(join(dir, 'conf', 'rule_staging.json')).mtimeMs).toBe(mtime);
    const restaged = run(dir, 'rules', 'stage', 'duo_new');
    expect(restaged.stdout).toContain('Rule duo_new staged in conf/rule_staging.json');
  });

  it('without staging.outputs a staged alert is stored, not sent, and alerts list shows it', () => {
    const dir = project({});
    const stage = run(dir, 'rules', 'stage', 'duo_new');
    expect(stage.stdout).toContain("nowhere: conf/global.json has no staging.outputs, so they are stored, not sent (see them with 'streamalert alerts list --rule duo_new')");
    const result = run(dir, 'run', '--input', join(dir, 'samples', 'duo.json'));
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(dir, '.streamalert', 'alerts.jsonl'))).toBe(false);
    const listed = JSON.parse(run(dir, 'alerts', 'list', '--rule', 'duo_new', '--json').stdout) as unknown[];
    expect(listed).toMatchObject([{ rule_name: 'duo_new', deliveries: [] }]);
  });

  it('an unknown rule is a usage error naming the nearest', () => {
    const dir = project();
    const typo = run(dir, 'rules', 'promote', 'duo_nwe');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("no rule named 'duo_nwe'; did you mean 'duo_new'?");
    expect(existsSync(join(dir, 'conf', 'rule_staging.json'))).toBe(false);
  });
});
