import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, streamalert } from '../support/cli.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';

describe('streamalert init', () => {
  it('writes a project that works as it is, with no node_modules of its own', () => {
    const dir = tempDir();
    const env = isolatedEnv();
    const init = streamalert(['--project', dir, 'init'], { env });
    expect(init.status, init.stderr).toBe(0);
    for (const path of ['conf/global.json', 'conf/outputs.json', 'conf/schemas/cloudtrail.json', 'rules/duo/duo_fraud.ts', 'rules/duo/duo_fraud.json', 'package.json', '.gitignore', 'tsconfig.json', 'README.md']) {
      expect(existsSync(join(dir, path)), path).toBe(true);
    }
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    const tests = streamalert(['--project', dir, 'rules', 'test'], { env });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/\d+ events, \d+ passed, 0 failed/);

    const run = streamalert(['run', '--input', 'samples/cloudtrail.json'], { env, cwd: dir });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(join(dir, '.streamalert', 'alerts.jsonl'), 'utf8')).toContain('cloudtrail_root_account_usage');
  });

  it('never overwrites an existing file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name": "mine", "type": "module"}\n');
    writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
    const init = streamalert(['--project', dir, 'init'], { env: isolatedEnv() });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('Kept 2 existing files unchanged (init never overwrites): tsconfig.json, package.json');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name": "mine", "type": "module"}\n');
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe('{}\n');
  });
});

describe('npm start', () => {
  it('runs the quickstart end to end and says what to try next', () => {
    const run = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, env: { ...process.env, ...isolatedEnv() }, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/classified\s+\d+/);
    expect(run.stdout).toMatch(/file:alerts\s+\d+ delivered/);
    expect(run.stdout).toMatch(/file:pages\s+1 delivered/);
    expect(run.stdout).toContain('What to try next');
    // Each row's description starts in the same column, the last row's (no --project) included.
    const rows = run.stdout.slice(run.stdout.indexOf('What to try next:\n')).split('\n').slice(1, 5);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => /^ {2}npx streamalert \S.*? {2,}(?=\S)/.exec(row)?.[0].length)).size).toBe(1);
  });
});
