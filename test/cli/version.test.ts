import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, streamalert } from '../support/cli.ts';
import { tempDir } from '../support/secrets.ts';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('streamalert --version', () => {
  it.each(['--version', '-V'])('%s prints the version in package.json and nothing else, exit 0', (flag) => {
    // From a folder that is no project: the version never depends on one.
    const run = streamalert([flag], { cwd: tempDir() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.stderr).toBe('');
  });

  it('is listed in the overall help', () => {
    const run = streamalert(['--help'], { cwd: tempDir() });
    expect(run.stdout).toMatch(/-V, --version\s+print the version/);
  });
});
