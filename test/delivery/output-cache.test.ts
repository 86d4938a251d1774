import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveOutputs } from '../../src/config/project.ts';
import { deliverTo } from '../../src/delivery/deliver.ts';
import { OutputCache } from '../../src/delivery/output-cache.ts';
import type { LoadedOutput } from '../../src/delivery/configured-outputs.ts';
import { CachedCredentials } from '../../src/secrets/cache.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { isolatedEnv, makeProject, newMasterKey } from '../support/secrets.ts';

const SLACK = { service: 'slack', descriptor: 'sec' };
const TTL_MS = 60_000;
const context = testContext(2000);

let receiver: LoopbackReceiver;
beforeAll(async () => {
  receiver = await LoopbackReceiver.start();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
});

/**
 * An OutputCache over a project with slack:sec, on a clock the test moves. `elsewhere` is the
 * credential store as another process (the CLI) sees it: what it stores this cache does not hear of.
 */
function setup() {
  const project = makeProject({}, { slack: ['sec'] });
  const env = isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey() });
  const elsewhere = createCredentialStore(project, { env });
  const clock = { now: 0 };
  const deleted: string[] = [];
  const cache = new OutputCache(project, new CachedCredentials(createCredentialStore(project, { env }), { now: () => clock.now, ttlMs: TTL_MS }), context, {
    ttlMs: TTL_MS,
    now: () => clock.now,
    onDeleted: (name) => void deleted.push(name),
  });
  return { project, elsewhere, clock, deleted, cache };
}

/** Where a loaded output sends: the path its request reached on the receiver. */
async function sentTo(loaded: LoadedOutput): Promise<string> {
  if (loaded.kind !== 'ready') throw new Error(`not ready: ${loaded.result.message}`);
  const result = await deliverTo(sampleAlert(), loaded.output);
  expect(result.kind).toBe('delivered');
  return receiver.requests.at(-1)!.path;
}

describe('OutputCache', () => {
  it('keeps a built output for its TTL, then builds it with the credentials stored since', async () => {
    const { elsewhere, clock, cache } = setup();
    await elsewhere.put(SLACK, { url: `${receiver.url}/first` });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/first');

    await elsewhere.put(SLACK, { url: `${receiver.url}/second` });
    clock.now = TTL_MS - 1;
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/first');
    clock.now = TTL_MS;
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/second');
  });

  it('builds outputs again at once when conf/outputs.json is written, credentials included', async () => {
    const { project, elsewhere, cache } = setup();
    await elsewhere.put(SLACK, { url: `${receiver.url}/first` });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/first');

    // What `output new --update` does: the secret, then outputs.json.
    await elsewhere.put(SLACK, { url: `${receiver.url}/second` });
    saveOutputs(project.dir, { slack: ['sec'] });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/second');
  });

  it('warm builds every configured output ahead of its first attempt, with the credentials stored then', async () => {
    const { elsewhere, cache } = setup();
    await elsewhere.put(SLACK, { url: `${receiver.url}/at-warm` });
    await cache.warm();
    // Built at warm: a credential stored since is not used until the TTL runs out.
    await elsewhere.put(SLACK, { url: `${receiver.url}/after-warm` });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/at-warm');
  });

  it('keeps no failed load: the next attempt tries again', async () => {
    const { elsewhere, cache } = setup();
    const first = await cache.load('slack:sec');
    expect(first).toMatchObject({ kind: 'unavailable', result: { kind: 'retry', reason: 'config', message: expect.stringContaining('No credentials are stored for slack:sec') } });

    await elsewhere.put(SLACK, { url: `${receiver.url}/stored-late` });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/stored-late');
  });

  it('fails a deleted output with reason config, after telling once, and uses it again once it is back', async () => {
    const { project, elsewhere, deleted, cache } = setup();
    await elsewhere.put(SLACK, { url: `${receiver.url}/hook` });
    expect((await cache.load('slack:sec')).kind).toBe('ready');

    saveOutputs(project.dir, {});
    const gone = { kind: 'unavailable', result: { kind: 'failed', reason: 'config', message: 'slack:sec was deleted from conf/outputs.json' } };
    expect(await cache.load('slack:sec')).toMatchObject(gone);
    expect(await cache.load('slack:sec')).toMatchObject(gone);
    expect(deleted).toEqual(['slack:sec']);

    saveOutputs(project.dir, { slack: ['sec'] });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/hook');
  });

  it('retries while conf/outputs.json cannot be read, and reads it again once fixed', async () => {
    const { project, elsewhere, cache } = setup();
    await elsewhere.put(SLACK, { url: `${receiver.url}/hook` });
    saveOutputs(project.dir, { slack: ['sec'], nonsense: ['x'] } as never);
    expect(await cache.load('slack:sec')).toMatchObject({ kind: 'unavailable', result: { kind: 'retry', reason: 'config', message: expect.stringContaining("unknown service 'nonsense'") } });

    saveOutputs(project.dir, { slack: ['sec'] });
    expect(await sentTo(await cache.load('slack:sec'))).toBe('/hook');
  });
});
