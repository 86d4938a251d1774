import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, streamalert, streamalertAsync, waitUntil } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe } from '../support/serve.ts';

const IMPORT = "import { rule } from 'streamalert';\n";

/**
 * One good rule delivering to a local file, and three mistakes: a rule file that does not
 * compile, a rule naming an output that is not configured, and a rule with no outputs.
 */
function brokenProject(): string {
  return tempProject({
    ...SCHEMAS,
    'conf/outputs.json': { file: ['alerts'] },
    'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' } } },
    'rules/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.result === 'fraud');\n",
    'rules/broken.ts': IMPORT + 'export const broken = rule({ logs: [ }, () => true);\n',
    'rules/paged.ts': IMPORT + "export const page_oncall = rule({ logs: ['duo:authentication'], outputs: ['pagerduty:oncall'] }, () => true);\n",
    'rules/nowhere.ts': IMPORT + "export const nowhere = rule({ logs: ['duo:authentication'] }, () => true);\n",
  });
}

const WARNINGS = [
  /^warning: rules\/broken\.ts could not be loaded \(.+\); fix the file; disabled until fixed: everything in rules\/broken\.ts$/,
  /^warning: rules\/nowhere\.ts: rule nowhere: has no outputs, so its alerts would go nowhere; add outputs: \['service:descriptor'\] \(configured: file:alerts\) or dynamicOutputs, or route alerts by severity \(conf\/global.json routing\); disabled until fixed: rule nowhere$/,
  /^warning: rules\/paged\.ts: rule page_oncall: output 'pagerduty:oncall' is not configured in conf\/outputs\.json \(configured: file:alerts\); add it with 'streamalert output new --service pagerduty' or change the rule; disabled until fixed: rule page_oncall$/,
];

const STRICT_ERRORS = [
  /^error: rules\/broken\.ts could not be loaded/,
  /^error: rules\/nowhere\.ts: rule nowhere: has no outputs/,
  /^error: rules\/paged\.ts: rule page_oncall: output 'pagerduty:oncall' is not configured/,
  /^error: 3 load problems: --strict refuses to start \(without it, only what each names is disabled\)$/,
];

function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('warning: ') || line.startsWith('error: '));
}

/** The rules of the alerts in the file output so far: complete lines only, as a delivery may be mid-write. */
function delivered(dir: string): string[] {
  const path = join(dir, 'alerts.jsonl');
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(0, -1) : [];
  return lines.map((line) => (JSON.parse(line) as { rule_name: string }).rule_name);
}

function duoInput(dir: string): string {
  const path = join(dir, 'duo.ndjson');
  writeFileSync(path, [duoRecord(), duoRecord({ result: 'success', reason: 'user_approved' })].map((record) => JSON.stringify(record)).join('\n'));
  return path;
}

describe('one broken rule never costs the other rules their alerts', () => {
  it('run delivers the good rule’s alerts, names each problem on stderr and in the summary, and exits 1', async () => {
    const dir = brokenProject();
    const run = await streamalertAsync(['--project', dir, 'run', '--input', duoInput(dir)], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(1);
    expect(delivered(dir)).toEqual(['duo_fraud']);
    const lines = warningLines(run.stderr);
    expect(lines).toHaveLength(3);
    WARNINGS.forEach((warning, i) => expect(lines[i]).toMatch(warning));
    expect(run.stdout).toContain('Disabled (did not load, see the warnings above): everything in rules/broken.ts; rule nowhere; rule page_oncall');
    expect(run.stdout).toMatch(/file:alerts\s+1 delivered/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('3 load problems: exit 1 (--allow-errors accepts them)');
  });

  it('run --json lists the disabled parts; --allow-errors accepts them, exit 0', async () => {
    const dir = brokenProject();
    const run = await streamalertAsync(['--project', dir, 'run', '--input', duoInput(dir), '--json', '--allow-errors'], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { disabled: { kind: string; file: string; name?: string; disables: string }[] };
    expect(summary.disabled.map(({ kind, file, name }) => ({ kind, file, name }))).toEqual([
      { kind: 'rule', file: 'rules/broken.ts', name: undefined },
      { kind: 'rule', file: 'rules/nowhere.ts', name: 'nowhere' },
      { kind: 'rule', file: 'rules/paged.ts', name: 'page_oncall' },
    ]);
    expect(delivered(dir)).toEqual(['duo_fraud']);
  });

  it('run --strict refuses to start, exit 2, naming every problem, and reads nothing', async () => {
    const dir = brokenProject();
    const run = await streamalertAsync(['--project', dir, 'run', '--input', duoInput(dir), '--strict'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = warningLines(run.stderr);
    expect(lines).toHaveLength(4);
    STRICT_ERRORS.forEach((error, i) => expect(lines[i]).toMatch(error));
    expect(delivered(dir)).toEqual([]);
  });

  it('serve starts, stores and delivers the good rule’s alerts, having warned about the rest', async () => {
    const dir = brokenProject();
    const serve = await startServe(dir, isolatedEnv());
    // Warnings go to stderr, the 'listening' line startServe waits for to stdout: either may be read first.
    await waitUntil(() => warningLines(serve.output.stderr).length >= WARNINGS.length);
    const lines = warningLines(serve.output.stderr);
    WARNINGS.forEach((warning) => expect(lines.some((line) => warning.test(line)), String(warning)).toBe(true));
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: JSON.stringify(duoRecord()) });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ classified: 1, alerts: 1 });
    await waitUntil(() => delivered(dir).length === 1);
    expect(delivered(dir)).toEqual(['duo_fraud']);
    expect(await serve.stop()).toBe(0);
  });

  it('serve --strict refuses to start, exit 2, naming every problem', async () => {
    const dir = brokenProject();
    const child = spawn(process.execPath, [BIN, '--project', dir, 'serve', '--port', '0', '--strict'], { env: { PATH: process.env.PATH, ...isolatedEnv() } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stdout).not.toContain('listening');
    const lines = warningLines(stderr);
    STRICT_ERRORS.forEach((error, i) => expect(lines[i]).toMatch(error));
  });

  it('a schema with an unsupported parser disables its log type and the rules on it only', async () => {
    const dir = tempProject({
      ...SCHEMAS,
      'conf/schemas/vpc.json': { 'vpc:flow': { parser: 'xml', schema: { srcaddr: 'string' } } },
      'conf/outputs.json': { file: ['alerts'] },
      'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' } } },
      'rules/duo_fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.result === 'fraud');\n",
      'rules/flow.ts': IMPORT + "export const open_flow = rule({ logs: ['vpc:flow'], outputs: ['file:alerts'] }, () => true);\n",
    });
    const run = await streamalertAsync(['--project', dir, 'run', '--input', duoInput(dir)], { env: isolatedEnv() });
    expect(run.status).toBe(1);
    expect(warningLines(run.stderr)).toEqual([
      `warning: conf/schemas/vpc.json: vpc:flow: parser 'xml' is not one of StreamAlert's parsers (json, csv, kv, syslog); disabled until fixed: log type vpc:flow`,
      "warning: rules/flow.ts: rule open_flow: its log type(s) 'vpc:flow' are disabled by a problem in conf/schemas/vpc.json; fix the schema or change the rule; disabled until fixed: rule open_flow",
    ]);
    expect(delivered(dir)).toEqual(['duo_fraud']);
    expect(run.stdout).toContain('Disabled (did not load, see the warnings above): log type vpc:flow; rule open_flow');

    const strict = streamalert(['--project', dir, 'run', '--input', duoInput(dir), '--strict'], { env: isolatedEnv() });
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain("error: conf/schemas/vpc.json: vpc:flow: parser 'xml' is not one of StreamAlert's parsers");
  });
});

describe('output delete while rules name the output', () => {
  function projectUsing(): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = tempProject({
      ...SCHEMAS,
      'conf/outputs.json': { file: ['alerts', 'pages'] },
      'conf/output_settings.json': { file: { alerts: { path: 'alerts.jsonl' }, pages: { path: 'pages.jsonl' } } },
      'rules/duo/fraud.ts': IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts', 'file:pages'] }, (rec) => rec.result === 'fraud');\n",
      'rules/duo/bypass.ts': IMPORT + "export const duo_bypass = rule({ logs: ['duo:authentication'], outputs: ['file:pages'] }, (rec) => rec.factor === 'bypass_code');\n",
      'rules/other.ts': IMPORT + "export const other = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, () => false);\n",
    });
    return { dir, env: isolatedEnv() };
  }
  const configured = (dir: string, env: NodeJS.ProcessEnv) => JSON.parse(streamalert(['--project', dir, 'output', 'list', '--json'], { env }).stdout) as unknown[];

  it('refuses, exit 2, listing the rules and their files, and deletes nothing', () => {
    const { dir, env } = projectUsing();
    const run = streamalert(['--project', dir, 'output', 'delete', 'file:pages'], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: file:pages is named by 2 rules: duo_bypass (rules/duo/bypass.ts), duo_fraud (rules/duo/fraud.ts); remove it from their outputs first, ' +
        'or delete it anyway with --force (those rules are then disabled until changed)\n',
    );
    expect(configured(dir, env)).toHaveLength(2);
  });

  it('--force deletes it and says which rules lose it; they are then disabled, the others run', () => {
    const { dir, env } = projectUsing();
    const run = streamalert(['--project', dir, 'output', 'delete', 'file:pages', '--force'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'Deleted file:pages and its stored credentials.\n' +
        'These rules lose it, and are disabled until you change their outputs: duo_bypass (rules/duo/bypass.ts), duo_fraud (rules/duo/fraud.ts)\n',
    );
    expect(configured(dir, env)).toEqual([{ service: 'file', descriptor: 'alerts' }]);
    const after = streamalert(['--project', dir, 'run', '--input', duoInput(dir)], { env });
    expect(after.stderr).toContain("warning: rules/duo/fraud.ts: rule duo_fraud: output 'file:pages' is not configured in conf/outputs.json");
    expect(after.stdout).toContain('Disabled (did not load, see the warnings above): rule duo_bypass; rule duo_fraud');
  });

  it('deletes an output no rule names at once', () => {
    const { dir, env } = projectUsing();
    writeFileSync(join(dir, 'rules', 'other.ts'), IMPORT + "export const other = rule({ logs: ['duo:authentication'], outputs: ['file:pages'] }, () => false);\n");
    writeFileSync(join(dir, 'rules', 'duo', 'fraud.ts'), IMPORT + "export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:pages'] }, () => false);\n");
    const run = streamalert(['--project', dir, 'output', 'delete', 'file:alerts'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('Deleted file:alerts and its stored credentials.\n');
  });
});
