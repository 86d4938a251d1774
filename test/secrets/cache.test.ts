import { describe, expect, it } from 'vitest';
import { CachedCredentials } from '../../src/secrets/cache.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { MissingSecretError } from '../../src/secrets/errors.ts';
import type { Secret } from '../../src/secrets/secret.ts';
import type { CredentialKey, CredentialStore } from '../../src/secrets/store.ts';
import { isolatedEnv, makeProject, newMasterKey } from '../support/secrets.ts';

const A: CredentialKey = { service: 'slack', descriptor: 'a' };
const B: CredentialKey = { service: 'slack', descriptor: 'b' };
const C: CredentialKey = { service: 'slack', descriptor: 'c' };

/**
 * A real local store, plus a count of the loads that reached it: the count is what the
 * cache exists to keep down.
 */
function backend() {
  const store = createCredentialStore(makeProject(), { env: isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey() }) });
  const loads: string[] = [];
  const counted: CredentialStore = {
    put: (key, values) => store.put(key, values),
    delete: (key) => store.delete(key),
    list: () => store.list(),
    rotate: (options) => store.rotate(options),
    get: (key: CredentialKey): Promise<Record<string, Secret>> => {
      loads.push(key.descriptor);
      return store.get(key);
    },
  };
  return { store, counted, loads };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CachedCredentials', () => {
  it('serves repeat loads from memory until the time to live passes', async () => {
    const { store, counted, loads } = backend();
    const time = clock();
    const cache = new CachedCredentials(counted, { ttlMs: 60_000, now: time.now });
    await store.put(A, { url: 'first' });
    expect((await cache.get(A)).url!.reveal()).toBe('first');
    await store.put(A, { url: 'second' }); // behind the cache's back, as another process would
    time.advance(59_999);
    expect((await cache.get(A)).url!.reveal()).toBe('first');
    time.advance(1);
    expect((await cache.get(A)).url!.reveal()).toBe('second');
    expect(loads).toEqual(['a', 'a']);
  });

  it('defaults to five minutes', async () => {
    const { store, counted, loads } = backend();
    const time = clock();
    const cache = new CachedCredentials(counted, { now: time.now });
    await store.put(A, { url: 'v' });
    await cache.get(A);
    time.advance(5 * 60_000 - 1);
    await cache.get(A);
    time.advance(1);
    await cache.get(A);
    expect(loads).toEqual(['a', 'a']);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const { store, counted, loads } = backend();
    const cache = new CachedCredentials(counted, { maxEntries: 2 });
    for (const key of [A, B, C]) await store.put(key, { url: key.descriptor });
    await cache.get(A);
    await cache.get(B);
    await cache.get(A); // A is now the most recently used
    await cache.get(C); // evicts B
    loads.length = 0;
    await cache.get(A);
    await cache.get(C);
    await cache.get(B);
    expect(loads).toEqual(['b']);
  });

  it('does not cache failures', async () => {
    const { store, counted } = backend();
    const cache = new CachedCredentials(counted);
    await expect(cache.get(A)).rejects.toBeInstanceOf(MissingSecretError);
    await store.put(A, { url: 'now there' });
    expect((await cache.get(A)).url!.reveal()).toBe('now there');
  });

  it('shares one backend load between concurrent callers', async () => {
    const { store, counted, loads } = backend();
    const cache = new CachedCredentials(counted);
    await store.put(A, { url: 'v' });
    const all = await Promise.all([cache.get(A), cache.get(A), cache.get(A)]);
    expect(all.map((values) => values.url!.reveal())).toEqual(['v', 'v', 'v']);
    expect(loads).toEqual(['a']);
  });

  it('forgets an output on put and delete through it', async () => {
    const { counted } = backend();
    const cache = new CachedCredentials(counted);
    await cache.put(A, { url: 'one' });
    expect((await cache.get(A)).url!.reveal()).toBe('one');
    await cache.put(A, { url: 'two' });
    expect((await cache.get(A)).url!.reveal()).toBe('two');
    await cache.delete(A);
    await expect(cache.get(A)).rejects.toBeInstanceOf(MissingSecretError);
  });

  it('hands out copies, so a caller cannot change what others get', async () => {
    const { counted } = backend();
    const cache = new CachedCredentials(counted);
    await cache.put(A, { url: 'v' });
    const first = await cache.get(A);
    delete first.url;
    expect((await cache.get(A)).url!.reveal()).toBe('v');
  });
});
