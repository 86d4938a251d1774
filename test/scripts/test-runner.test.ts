import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';

/**
 * `npm test` (scripts/test.js) in a checkout of its own: a git repository with two test files,
 * one of which writes a file into the checkout, run by the same vitest as this suite.
 */
describe('npm test (scripts/test.js)', () => {
  let checkout: string;

  beforeAll(() => {
    checkout = mkdtempSync(join(tmpdir(), 'streamalert-test-runner-'));
    const files: Record<string, string> = {
      'package.json': '{ "type": "module" }\n',
      '.gitignore': 'node_modules\n',
      'vitest.config.mjs': "export default { test: { include: ['*.test.mjs'] } };\n",
      'clean.test.mjs': "import { expect, it } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\n",
      'writes.test.mjs':
        "import { writeFileSync } from 'node:fs';\nimport { expect, it } from 'vitest';\nit('writes into the checkout', () => { writeFileSync('made.txt', 'x'); expect(1).toBe(1); });\n",
    };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(checkout, path), text);
    symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    for (const args of [['init', '-q'], ['add', '.'], ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'fixture']]) {
      expect(spawnSync('git', args, { cwd: checkout }).status).toBe(0);
    }
  });
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  /** scripts/test.js on one test file, from a checkout without the file writes.test.mjs makes. */
  function npmTest(testFile: string, env: Record<string, string>) {
    rmSync(join(checkout, 'made.txt'), { force: true });
    // This suite's own vitest settings stay out of the nested run.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    return spawnSync(process.execPath, [join(ROOT, 'scripts', 'test.js'), testFile], { cwd: checkout, env: { ...inherited, ...env }, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  }

  it('prints the totals and passes when the suite leaves the checkout as it was', () => {
    const run = npmTest('clean.test.mjs', { CI: 'true' });
    expect(run.stdout).toContain('1 passed, 0 failed, 0 skipped');
    expect(run.stdout).not.toContain('changed the checkout');
    expect(run.status, run.stderr).toBe(0);
  });

  it('names a file the suite wrote into the checkout, and fails on CI though every test passed', () => {
    const run = npmTest('writes.test.mjs', { CI: 'true' });
    expect(run.stdout).toContain('1 passed, 0 failed, 0 skipped');
    expect(run.stdout).toContain('the test run changed the checkout: made.txt');
    expect(run.status).toBe(1);
  });

  it('only warns off CI, where the developer may be editing files as the suite runs', () => {
    const run = npmTest('writes.test.mjs', { CI: 'false' });
    expect(run.stdout).toContain('the test run changed the checkout: made.txt');
    expect(run.status, run.stderr).toBe(0);
  });
});
