import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { BIN, waitUntil } from './cli.ts';

/** A `streamalert serve` running in its own process, as an operator starts it. */
export interface RunningServe {
  readonly child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  readonly base: string;
  /** Everything printed so far. */
  readonly output: { stdout: string; stderr: string };
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts `streamalert --project DIR serve --port 0 ...args` and waits until it says where it
 * listens. Killed after the test file if still running.
 *
 * @example
 *   const serve = await startServe(dir, env);
 *   await fetch(`${serve.base}/healthz`);
 */
export async function startServe(dir: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, '--project', dir, 'serve', '--port', '0', ...args], { env: { PATH: process.env.PATH, ...env } });
  started.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  // 'close', not 'exit': only then has everything the process printed been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await waitUntil(() => {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output.stderr}`);
    return /listening on http:\/\/\S+/.test(output.stdout);
  });
  return {
    child,
    base: /listening on (http:\/\/\S+)/.exec(output.stdout)![1]!,
    output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
