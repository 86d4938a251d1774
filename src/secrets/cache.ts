import type { Secret } from './secret.ts';
import type { CredentialKey, CredentialStore, RotateOptions, RotationReport } from './store.ts';

/** How long a delivering process keeps decrypted credentials (and outputs built with them) before loading them again. */
export const CREDENTIALS_TTL_MS = 5 * 60_000;

export interface CredentialCacheOptions {
  /** How long decrypted values are kept before the backend is asked again. Default CREDENTIALS_TTL_MS, 5 minutes. */
  ttlMs?: number;
  /** At most this many outputs' values are kept; the least recently used go first. Default 100. */
  maxEntries?: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

interface Entry {
  readonly values: Readonly<Record<string, Secret>>;
  readonly expiresAt: number;
}

/**
 * A CredentialStore that keeps decrypted values in this process's memory only, bounded in
 * size and time, so a dispatching process does not call KMS for every alert yet never holds a
 * credential long after it was rotated or revoked. Nothing is ever written anywhere. Failures
 * are not cached: the next load asks the backend again. Concurrent loads of one output share
 * a single backend call.
 *
 * @example
 *   const credentials = new CachedCredentials(createCredentialStore(project), { ttlMs: 60_000 });
 *   const { url } = await credentials.get({ service: 'slack', descriptor: 'sec-alerts' });
 */
export class CachedCredentials implements CredentialStore {
  readonly #store: CredentialStore;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** A Map iterates in insertion order: re-inserting on use makes the first entry the least recently used. */
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Record<string, Secret>>>();
  /** Bumped by every change, so a load that started before a put does not cache the old values. */
  #changes = 0;

  constructor(store: CredentialStore, options: CredentialCacheOptions = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? CREDENTIALS_TTL_MS;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 100);
    this.#now = options.now ?? Date.now;
  }

  async get(key: CredentialKey): Promise<Record<string, Secret>> {
    const id = cacheId(key);
    const entry = this.#entries.get(id);
    if (entry && entry.expiresAt > this.#now()) {
      this.#entries.delete(id);
      this.#entries.set(id, entry);
      return { ...entry.values };
    }
    this.#entries.delete(id);
    let loading = this.#loading.get(id);
    if (!loading) {
      const started = this.#load(id, key).finally(() => {
        if (this.#loading.get(id) === started) this.#loading.delete(id);
      });
      this.#loading.set(id, started);
      loading = started;
    }
    return { ...(await loading) };
  }

  async put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void> {
    this.#forget(key);
    await this.#store.put(key, values);
  }

  async delete(key: CredentialKey): Promise<void> {
    this.#forget(key);
    await this.#store.delete(key);
  }

  list(): Promise<CredentialKey[]> {
    return this.#store.list();
  }

  async rotate(options?: RotateOptions): Promise<RotationReport> {
    this.clear();
    return this.#store.rotate(options);
  }

  /** Forgets every cached value. */
  clear(): void {
    this.#changes += 1;
    this.#entries.clear();
  }

  close(): void {
    this.clear();
    this.#store.close?.();
  }

  #forget(key: CredentialKey): void {
    this.#changes += 1;
    this.#entries.delete(cacheId(key));
    this.#loading.delete(cacheId(key));
  }

  async #load(id: string, key: CredentialKey): Promise<Record<string, Secret>> {
    const changesAtStart = this.#changes;
    const values = await this.#store.get(key);
    if (this.#changes !== changesAtStart) return values;
    this.#entries.set(id, { values, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return values;
  }
}

/** JSON, so that no service/descriptor pair can collide with another. */
function cacheId(key: CredentialKey): string {
  return JSON.stringify([key.service, key.descriptor]);
}
