import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'streamalert.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `streamalert` command in its own process, as a user's shell would: no TTY,
 * standard input from `input` (or none), the given environment on top of PATH and the AWS
 * settings of the test run (moto endpoint, fake credentials).
 */
export function streamalert(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): CliRun {
  const aws = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AWS_')));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH, ...aws, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
