import { outputConfigVersion } from '../config/output-config.ts';
import { configuredOutputs, loadProject, type Project } from '../config/project.ts';
import type { OutputContext } from '../outputs/output.ts';
import { loadUndici } from '../outputs/http/client.ts';
import { failed, retry } from '../outputs/result.ts';
import { CREDENTIALS_TTL_MS, type CachedCredentials } from '../secrets/cache.ts';
import { loadConfiguredOutputs, type LoadedOutput } from './configured-outputs.ts';

export interface OutputCacheOptions {
  /** How long a built output, with its credentials, is used before it is built again. Default CREDENTIALS_TTL_MS, 5 minutes. */
  readonly ttlMs?: number;
  /** Told about each output deleted from conf/outputs.json while the cache is in use, once, before its deliveries fail. */
  readonly onDeleted: (name: string) => Promise<void> | void;
  /** The clock, in milliseconds; tests pass their own. */
  readonly now?: () => number;
}

interface Entry {
  readonly loaded: Promise<LoadedOutput>;
  readonly expiresAt: number;
}

/**
 * The outputs a delivering process has built, kept true to the project as it is now, so a
 * long-running `serve` follows `output new --update` and `output delete`:
 * - conf/outputs.json and conf/output_settings.json are checked before every attempt (two stats,
 *   shared by the attempts a claim starts together) and, when either was written, read again:
 *   every built output and cached credential is forgotten and built afresh at its next attempt;
 * - otherwise a built output is kept for `ttlMs`, so a credential changed where no file shows it
 *   (KMS, SSM, a key file) is used within that time;
 * - an output that could not be built is not kept: its next attempt tries again, so a restored
 *   key file is used at once;
 * - an output deleted from conf/outputs.json fails, reason config, "<name> was deleted from
 *   conf/outputs.json", after `onDeleted` has heard of it.
 * Concurrent attempts to one output share one build.
 *
 * @example
 *   const outputs = new OutputCache(project, new CachedCredentials(store), context, { onDeleted: (name) => console.error(`${name} was deleted`) });
 *   const engine = new DeliveryEngine(alertStore, outputs.load, engineOptions);
 */
export class OutputCache {
  readonly #credentials: CachedCredentials;
  readonly #context: OutputContext;
  readonly #options: OutputCacheOptions;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  /** Outputs configured earlier in this process's life and no longer. */
  readonly #deleted = new Set<string>();
  #project: Project;
  #version: string;
  /** Settles once every deletion found by the latest reload has been told. */
  #told: Promise<unknown> = Promise.resolve();
  /** Set while the attempts started in one go share one check of the files (cleared in a microtask). */
  #checked = false;

  constructor(project: Project, credentials: CachedCredentials, context: OutputContext, options: OutputCacheOptions) {
    this.#project = project;
    this.#credentials = credentials;
    this.#context = context;
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? CREDENTIALS_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#version = outputConfigVersion(project.dir);
  }

  /** The delivery engine's loader: the output named `service:descriptor`, ready, or why it cannot be used now. */
  readonly load = async (name: string): Promise<LoadedOutput> => {
    const problem = this.#reloadIfChanged();
    if (problem) return { kind: 'unavailable', name, result: retry('config', `${name} cannot be loaded: ${problem}`) };
    await this.#told;
    if (this.#deleted.has(name)) return { kind: 'unavailable', name, result: failed('config', `${name} was deleted from conf/outputs.json`) };
    const now = this.#now();
    const entry = this.#entries.get(name);
    if (entry && entry.expiresAt > now) return entry.loaded;
    const loaded = this.#build(name).then((result) => {
      if (result.kind === 'unavailable' && this.#entries.get(name)?.loaded === loaded) this.#entries.delete(name);
      return result;
    });
    this.#entries.set(name, { loaded, expiresAt: now + this.#ttlMs });
    return loaded;
  };

  /**
   * Builds every configured output now, with its credentials, as its first attempt would: a
   * process about to deliver (serve) pays for loading the services' code and undici before its
   * first alert rather than during it. An output that cannot be built is tried again then.
   */
  async warm(): Promise<void> {
    await Promise.all([loadUndici(), ...[...names(this.#project)].map((name) => this.load(name))]);
  }

  async #build(name: string): Promise<LoadedOutput> {
    try {
      return (await loadConfiguredOutputs(this.#project, this.#credentials, this.#context, [name]))[0]!;
    } catch (error) {
      // conf/output_settings.json caught half-edited: fixed soon, so retried.
      return { kind: 'unavailable', name, result: retry('config', `${name} cannot be loaded: ${(error as Error).message}`) };
    }
  }

  /** Reads the configuration again if a file changed; returns what is wrong when it cannot be read (it is read again next time). */
  #reloadIfChanged(): string | undefined {
    // A claim starts its attempts in one synchronous loop: the first one's check stands for
    // them all (the files cannot change in between), instead of two stats per attempt.
    if (this.#checked) return undefined;
    const version = outputConfigVersion(this.#project.dir);
    if (version === this.#version) {
      this.#checked = true;
      queueMicrotask(() => (this.#checked = false));
      return undefined;
    }
    let reread: Project;
    try {
      reread = loadProject(this.#project.dir, { checkDeadLetterOutput: false });
    } catch (error) {
      return `${(error as Error).message}; deliveries are retried until it is fixed`;
    }
    const before = names(this.#project);
    const after = names(reread);
    this.#version = version;
    this.#project = { ...this.#project, outputs: reread.outputs };
    this.#entries.clear();
    this.#credentials.clear();
    for (const name of after) this.#deleted.delete(name);
    const gone = [...before].filter((name) => !after.has(name));
    for (const name of gone) this.#deleted.add(name);
    if (gone.length > 0) this.#told = Promise.allSettled(gone.map(async (name) => this.#options.onDeleted(name)));
    return undefined;
  }
}

function names(project: Project): Set<string> {
  return new Set(configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
}
