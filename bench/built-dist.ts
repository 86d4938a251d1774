import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * Builds dist/ (`npm run build`) when it is missing or older than a file of src/, so a bench of
 * the compiled CLI measures the code as it is; says why it built, if it did. Throws with the
 * build's output when the build fails.
 */
export function buildIfStale(): string | undefined {
  const builtAt = modifiedMs(join(ROOT, 'dist', 'cli', 'main.js'));
  const reason = builtAt === undefined ? 'dist/ was missing' : newestMs(join(ROOT, 'src')) > builtAt ? 'dist/ was older than src/' : undefined;
  if (!reason) return undefined;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  return reason;
}

function modifiedMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestMs(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => statSync(join(dir, name)).mtimeMs));
}
