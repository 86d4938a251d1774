import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempProject } from '../support/rules-project.ts';

/** Runs a TypeScript script in its own Node.js process, as the CLI runs: its exit status and output. */
function runScript(source: string) {
  const dir = tempProject({ 'script.ts': source });
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run-ts.js'), join(dir, 'script.ts')], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

const GUARD = `import { refuseExits, registerUserFile } from ${JSON.stringify(join(REPO_ROOT, 'src', 'rules', 'exit-guard.ts'))};\n`;

describe('the process.exit guard', () => {
  it('lets the process end as usual outside rule code, with its exit code', () => {
    const run = runScript(
      GUARD +
        `registerUserFile('/somewhere/rules/duo.ts');
const allowExits = refuseExits();
try { process.exit(0); } catch (error) { console.log('refused inside:', (error as Error).name); }
allowExits();
process.exit(7);
console.log('not reached');\n`,
    );
    expect(run.output).toBe('refused inside: RuleExitError\n');
    expect(run.status).toBe(7);
  });
});
