import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { REPO_ROOT } from '../support/rules-project.ts';
import { isolatedEnv, makeProject, newMasterKey } from '../support/secrets.ts';

let receiver: LoopbackReceiver;
beforeAll(async () => {
  receiver = await LoopbackReceiver.start();
});
afterAll(() => receiver.close());

describe('the first delivery of a process', () => {
  // Every run, serve and alert processor pays for it before its first alert goes out: all 37
  // built-in services cost about 100 ms to load, undici's index about 60 ms more than its Pool.
  it("loads only the services of the outputs it delivers to, and undici's Pool and request without its index", async () => {
    const project = makeProject({}, { slack: ['sec-alerts'], pagerduty: ['oncall'] });
    const env = isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey(), PATH: process.env.PATH });
    await createCredentialStore(project, { env }).put({ service: 'slack', descriptor: 'sec-alerts' }, { url: `${receiver.url}/services/T0/B0/X` });
    receiver.requests.length = 0;

    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run-ts.js'), join(import.meta.dirname, 'fixtures', 'deliver-once.mts'), project.dir], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ result: 'delivered', slack: true, pagerduty: false, undiciIndex: false });
    expect(receiver.requests.map((request) => request.path)).toEqual(['/services/T0/B0/X']);
  });
});
