import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { CONDITION_TIMEOUT_MS } from './timeouts.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto_server's endpoint, or '' when it is not available (tests that need it skip). */
    motoEndpoint: string;
  }
}

let moto: ChildProcess | undefined;

/**
 * Starts one moto_server (a real AWS emulator) on a free loopback port for the whole run,
 * through moto-server.py so that DynamoDB transactions are atomic as DynamoDB's are.
 * In CI its absence fails the run; elsewhere AWS tests are skipped with the reason printed.
 */
export async function setup(project: TestProject): Promise<void> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    moto = spawn('python3', [fileURLToPath(new URL('moto-server.py', import.meta.url)), '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    moto.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const exited = new Promise<never>((_, reject) => {
      moto!.once('error', reject);
      moto!.once('exit', (code) => reject(new Error(`it exited (${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`)));
    });
    exited.catch(() => {}); // once up, its exit at teardown is expected
    await Promise.race([waitUntilUp(endpoint, CONDITION_TIMEOUT_MS), exited]);
    // Lambda Invoke without Docker: moto runs no function code, it records the invocation.
    await fetch(`${endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ lambda: { use_docker: false } }) });
    project.provide('motoEndpoint', endpoint);
  } catch (error) {
    moto?.kill();
    const reason = `moto_server could not be started (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${reason}: CI needs it for the AWS tests`);
    console.warn(`\n[streamalert tests] ${reason}; AWS tests are skipped. Install moto: pip install 'moto[server]'\n`);
    project.provide('motoEndpoint', '');
  }
}

export async function teardown(): Promise<void> {
  moto?.kill();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer on ${endpoint} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
