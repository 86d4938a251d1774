import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI_TIMEOUT_MS, CONDITION_TIMEOUT_MS } from './timeouts.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The CLI from the sources: tests never run a stale build (the built package is tested by test/cli/package.test.ts). */
export const BIN = join(ROOT, 'bin', 'streamalert-from-source.js');

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
export function streamalert(args: readonly string[], options: CliOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: childEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** As `streamalert`, without blocking this process: for tests whose loopback servers must answer it. */
export async function streamalertAsync(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(options.env), timeout: CLI_TIMEOUT_MS });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
}

function childEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const aws = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AWS_')));
  return { PATH: process.env.PATH, ...aws, ...env };
}

/** Polls `condition` (sync or async) until it holds; fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = CONDITION_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition never met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
