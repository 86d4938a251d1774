import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackReceiver } from '../support/receiver.ts';
import { knownSecret, makeProject, tempDir } from '../support/secrets.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DISPATCHER = join(import.meta.dirname, 'fixtures', 'dispatcher.ts');

let receiver: LoopbackReceiver;
beforeAll(async () => {
  receiver = await LoopbackReceiver.start();
});
afterAll(() => receiver.close());

/**
 * Runs node with `args` in its own process (asynchronously: the loopback receiver in this
 * process must keep answering), feeding `input` on stdin.
 */
function runProcess(args: string[], env: NodeJS.ProcessEnv, input?: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string; transcript: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr, transcript: `${stdout}\n${stderr}` }));
    child.stdin.end(input ?? '');
  });
}

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The ways a value could be written down: plain, base64, hex, URL- and JSON-escaped. */
function renderings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

/** Where any rendering of any secret appears: "file: value" lines. */
function findLeaks(secrets: readonly string[], texts: Record<string, Buffer | string>): string[] {
  const leaks: string[] = [];
  for (const [where, content] of Object.entries(texts)) {
    const haystack = Buffer.isBuffer(content) ? content : Buffer.from(content);
    for (const secret of secrets) {
      if (renderings(secret).some((form) => haystack.includes(Buffer.from(form)))) leaks.push(`${where} contains ${secret.slice(0, 6)}…`);
    }
  }
  return leaks;
}

describe('no credential ever reaches a file or a log line', () => {
  it('finds a planted value, so that the scan below can fail', () => {
    const dir = tempDir();
    const planted = knownSecret('planted');
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    writeFileSync(join(dir, 'deep', 'er', 'cache.bin'), Buffer.from(planted).toString('base64'));
    expect(findLeaks([planted], Object.fromEntries(filesUnder(dir).map((f) => [f, readFileSync(f)])))).toHaveLength(1);
  });

  it('store, deliver, rotate and deliver again: no secret value in any file written or any line logged', async () => {
    // prepare: a project, a home folder and a temp folder of its own, so every file the processes write is ours to scan
    const project = makeProject({}, { slack: ['sec-alerts', 'echoing', 'broken', 'missing'] });
    const home = tempDir('streamalert-home-');
    const tmp = tempDir('streamalert-tmp-');
    const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    const tokens = { good: knownSecret('T0GOOD'), echoing: knownSecret('T0ECHO'), broken: knownSecret('T0BROKEN') };
    const secrets = Object.values(tokens);
    // The echoing hook answers 404 with the request path in its body, as some servers do.
    receiver.respond((request) =>
      request.path.includes(tokens.echoing) ? { status: 404, body: `no_service: no hook at ${request.path}` } : { status: 200, body: 'ok' },
    );
    const run = (args: string[], input?: string) => runProcess(args, env, input);
    const dispatch = (phase: string, input?: string) =>
      run([join(ROOT, 'bin', 'run-ts.js'), DISPATCHER, phase, project.dir, 'slack:sec-alerts', 'slack:echoing', 'slack:broken', 'slack:missing'], input);

    // act
    const stored = await dispatch(
      'store',
      JSON.stringify({
        'slack:sec-alerts': { url: `${receiver.url}/services/${tokens.good}` },
        'slack:echoing': { url: `${receiver.url}/services/${tokens.echoing}` },
        'slack:broken': { url: `${receiver.url}/services/${tokens.broken}` },
      }),
    );
    const brokenFile = join(project.dir, '.streamalert', 'secrets', 'slack', 'broken.json');
    const sealed = JSON.parse(readFileSync(brokenFile, 'utf8'));
    sealed.payload.tag = Buffer.alloc(16).toString('base64');
    writeFileSync(brokenFile, JSON.stringify(sealed));
    const firstDelivery = await dispatch('deliver');
    const rotation = await run([join(ROOT, 'bin', 'streamalert-from-source.js'), '--project', project.dir, 'secrets', 'rotate']);
    const secondDelivery = await dispatch('deliver');

    // assess: the run did what it should, so the scan is of a real run
    expect(stored.status, stored.transcript).toBe(0);
    expect(stored.stderr).toMatch(/created the master key .* Back it up/);
    expect(firstDelivery.status, firstDelivery.transcript).toBe(0);
    expect(firstDelivery.stdout).toContain('slack:sec-alerts: delivered');
    expect(firstDelivery.stdout).toMatch(/slack:echoing: failed/);
    // Credentials an operator can put right are retried, not dead-lettered at once.
    expect(firstDelivery.stdout).toMatch(/slack:broken: retry \(The stored credentials of slack:broken cannot be trusted/);
    expect(firstDelivery.stdout).toMatch(/slack:missing: retry \(No credentials are stored for slack:missing/);
    expect(firstDelivery.stdout).toContain('[secret]');
    expect(rotation.status, rotation.transcript).toBe(1); // the broken one cannot be rotated
    expect(rotation.stdout).toContain('2 secret(s) now encrypted under master key');
    expect(secondDelivery.stdout, secondDelivery.transcript).toContain('slack:sec-alerts: delivered');
    expect(receiver.requests.filter((r) => r.path === `/services/${tokens.good}`)).toHaveLength(4);

    // assess: nothing anywhere
    const written = [project.dir, home, tmp].flatMap(filesUnder);
    expect(written.some((file) => file.endsWith('sec-alerts.json'))).toBe(true);
    const contents = Object.fromEntries(written.map((file) => [file, readFileSync(file)]));
    const logs = Object.fromEntries(
      Object.entries({ stored, firstDelivery, rotation, secondDelivery }).map(([step, result]) => [`output of ${step}`, result.transcript]),
    );
    expect(findLeaks(secrets, { ...contents, ...logs })).toEqual([]);
  });
});
