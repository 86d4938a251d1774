import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalertAsync } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/** A project whose rules deliver to a local file; `fragile` throws on every Duo record. */
function project(): string {
  return tempProject({
    ...SCHEMAS,
    'conf/outputs.json': { file: ['alerts'] },
    'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' } } },
    'rules/duo.ts':
      IMPORT +
      "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.result === 'fraud');\n" +
      "export const fragile = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.access_device.location.city === 'Oslo');\n",
  });
}

async function run(dir: string, lines: string[], ...args: string[]) {
  const input = join(dir, 'input.ndjson');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const result = await streamalertAsync(['--project', dir, 'run', '--input', input, ...args], { env: isolatedEnv() });
  return { ...result, lastLine: result.stdout.trim().split('\n').at(-1) };
}

const fraud = JSON.stringify(duoRecord());
const approved = JSON.stringify(duoRecord({ result: 'success', reason: 'user_approved' }));

describe('the exit code of run tells the truth', () => {
  it('exits 1 when a rule throws on records, saying how many, and still delivers the alerts of the others', async () => {
    const result = await run(project(), [fraud, approved]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/rule errors\s+2 +\(fragile: 2\)/);
    expect(result.stdout).toMatch(/file:alerts\s+1 delivered/);
    expect(result.lastLine).toBe('2 rule errors: exit 1 (--allow-errors accepts them)');
  });

  it('exits 1 on input records that are not JSON, counting both kinds of error in the last line', async () => {
    const result = await run(project(), [fraud, '{"result": "fraud"', 'not json at all']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/unclassified +2\n +2  not valid JSON\n/);
    expect(result.lastLine).toBe('1 rule error, 2 unreadable records: exit 1 (--allow-errors accepts them)');
  });

  it('--allow-errors accepts them: exit 0 once every alert is delivered', async () => {
    const result = await run(project(), [fraud, '{"result": "fraud"'], '--allow-errors');
    expect(result.status, result.stderr).toBe(0);
    expect(result.lastLine).toBe('1 rule error, 1 unreadable record: accepted (--allow-errors)');
  });

  it('--allow-errors does not hide a delivery that failed: exit 1', async () => {
    const dir = project();
    mkdirSync(join(dir, 'alerts.jsonl')); // a folder where the file should be: the append fails for good
    const result = await run(dir, [fraud], '--allow-errors');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/file:alerts\s+0 delivered, 1 failed/);
  });

  it('exits 0 when valid records fit no schema: that is not an error', async () => {
    const dir = tempProject({
      ...SCHEMAS,
      'conf/outputs.json': { file: ['alerts'] },
      'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' } } },
      'rules/duo.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.result === 'fraud');\n",
    });
    const result = await run(dir, [fraud, JSON.stringify({ hello: 'a log nobody declared' })]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/unclassified\s+1/);
    expect(result.lastLine).toMatch(/file:alerts\s+1 delivered$/);
  });
});

describe('what run says about records it could not use', () => {
  it('names the file of each warning when it reads several, gives JSON errors a column, and lists reasons a line each', async () => {
    const dir = project();
    const [first, second] = [join(dir, 'first.ndjson'), join(dir, 'second.ndjson')];
    writeFileSync(first, `${fraud}\n{"user": "alice", oops}\n`);
    writeFileSync(second, `${JSON.stringify({ unrelated: true })}\n`);
    const result = await streamalertAsync(['--project', dir, 'run', '--input', first, second, '--allow-errors'], { env: isolatedEnv() });
    expect(result.stderr).toContain(`warning: line 2 of ${first} is not valid JSON (Expected double-quoted property name at column 19)\n`);
    expect(result.stderr).toMatch(new RegExp(`warning: record 1 of ${second} fits no schema: no schema fits; closest is `));
    expect(result.stdout).toMatch(/ {2}unclassified +2\n +1 {2}no schema fits; closest is [^\n]+\n +1 {2}not valid JSON\n/);
  });
});
