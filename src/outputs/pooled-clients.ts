/** One kept client and how it was made. */
interface Kept {
  readonly fingerprint: string;
  readonly client: unknown;
  readonly close: () => unknown;
}

/**
 * Long-lived clients that outputs keep beyond one instance of themselves, such as an SMTP
 * connection pool: the delivery engine builds an output afresh every few minutes and after each
 * configuration change (delivery/output-cache.ts), and a pool per instance would leave the old
 * instances' connections open. One client per key (the output's name); a client made from other
 * settings (`fingerprint`) replaces it, the old one closed. The output context closes them all.
 *
 * @example
 *   const transport = this.context.pools.get(this.name, fingerprint, () => createTransport(options), (t) => t.close());
 */
export class PooledClients {
  readonly #kept = new Map<string, Kept>();
  #closed = false;

  /** The client kept under `key` if it was made from `fingerprint`; otherwise a new one from `create`, replacing (and closing) the old. */
  get<T>(key: string, fingerprint: string, create: () => T, close: (client: T) => unknown): T {
    if (this.#closed) throw new Error('the output context is closed: no client can be made in it');
    const kept = this.#kept.get(key);
    if (kept?.fingerprint === fingerprint) return kept.client as T;
    kept?.close();
    const client = create();
    this.#kept.set(key, { fingerprint, client, close: () => close(client) });
    return client;
  }

  /** Closes every kept client; none can be made afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    const kept = [...this.#kept.values()];
    this.#kept.clear();
    await Promise.all(kept.map(async ({ close }) => close()));
  }
}
