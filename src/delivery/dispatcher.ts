import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../alerts/alert.ts';
import type { Project } from '../config/project.ts';
import type { OutputContext } from '../outputs/output.ts';
import type { DispatchResult } from '../outputs/result.ts';
import type { CredentialStore } from '../secrets/store.ts';
import { loadConfiguredOutputs, type LoadedOutput } from './configured-outputs.ts';
import { deliver, type Publish } from './deliver.ts';
import { retryDelayMs, type DeliveryPolicy } from './policy.ts';

/** Per output: how its deliveries ended. `pending` = still retryable when the run had to stop. */
export interface OutputTally {
  delivered: number;
  pending: number;
  failed: number;
  /** The latest reason a delivery did not go through, for the summary. */
  lastProblem?: string;
}

export interface DispatcherOptions {
  policy: DeliveryPolicy;
  publish?: Publish;
  /** No retry is started after this time (epoch ms); what is left counts as pending. */
  deadline?: number;
}

/**
 * Delivers alerts to the outputs their rules name, in memory: bounded concurrency (submit
 * waits when the limit is reached, so a huge input never piles up alerts), each
 * (alert, output) pair retried per the policy, each output's result tallied.
 * Outputs are built once per name, credentials loaded through `credentials` (pass a cache).
 */
export class Dispatcher {
  readonly tallies = new Map<string, OutputTally>();
  readonly #project: Project;
  readonly #credentials: CredentialStore;
  readonly #context: OutputContext;
  readonly #options: DispatcherOptions;
  readonly #outputs = new Map<string, Promise<LoadedOutput>>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(project: Project, credentials: CredentialStore, context: OutputContext, options: DispatcherOptions) {
    this.#project = project;
    this.#credentials = credentials;
    this.#context = context;
    this.#options = options;
  }

  /** Starts delivering `alert` to each of its outputs; waits first while too many are in flight. */
  async submit(alert: Alert): Promise<void> {
    for (const name of new Set(alert.outputs)) {
      while (this.#inFlight.size >= this.#options.policy.concurrency) await Promise.race(this.#inFlight);
      const delivery = this.#deliver(alert, name).finally(() => this.#inFlight.delete(delivery));
      this.#inFlight.add(delivery);
    }
  }

  /** Waits for every delivery started so far. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  async #deliver(alert: Alert, name: string): Promise<void> {
    const { policy, deadline = Number.POSITIVE_INFINITY } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(alert, name);
      if (result.kind !== 'retry') return this.#tally(name, result);
      const delay = retryDelayMs(policy, attempt, result);
      if (attempt >= policy.maxAttempts || Date.now() + delay > deadline) return this.#tally(name, result);
      await sleep(delay);
    }
  }

  async #attempt(alert: Alert, name: string): Promise<DispatchResult> {
    const loaded = await this.#load(name);
    if (loaded.kind === 'unavailable') {
      // A temporary credentials problem is retried with a fresh load next time.
      if (loaded.result.kind === 'retry') this.#outputs.delete(name);
      return loaded.result;
    }
    const [report] = await deliver(alert, [loaded.output], this.#options.publish);
    return report!.result;
  }

  #load(name: string): Promise<LoadedOutput> {
    let loaded = this.#outputs.get(name);
    if (!loaded) {
      loaded = loadConfiguredOutputs(this.#project, this.#credentials, this.#context, [name]).then(([one]) => one!);
      this.#outputs.set(name, loaded);
    }
    return loaded;
  }

  #tally(name: string, result: DispatchResult): void {
    let tally = this.tallies.get(name);
    if (!tally) this.tallies.set(name, (tally = { delivered: 0, pending: 0, failed: 0 }));
    if (result.kind === 'delivered') {
      tally.delivered++;
      return;
    }
    if (result.kind === 'retry') tally.pending++;
    else tally.failed++;
    tally.lastProblem = `${result.kind === 'retry' ? 'retryable' : 'failed'}, ${result.reason}: ${result.message}`;
  }
}
