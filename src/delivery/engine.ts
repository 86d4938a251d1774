import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../alerts/alert.ts';
import type { DispatchResult } from '../outputs/result.ts';
import type { AlertStore, ClaimedDelivery } from '../store/alert-store.ts';
import type { LoadedOutput } from './configured-outputs.ts';
import { deliverTo, type Publish } from './deliver.ts';
import { retryDelayMs, type DeliveryPolicy } from './policy.ts';

/** Per output: how deliveries ended in this engine's life. */
export interface OutputTally {
  delivered: number;
  /** Dead-lettered: a permanent failure, or the retry budget spent. */
  failed: number;
  /** The latest reason a delivery did not go through, for the summary. */
  lastProblem?: string;
}

/** Builds (or says why it cannot build) the output named `service:descriptor`. */
export type OutputLoader = (name: string) => Promise<LoadedOutput>;

export interface EngineOptions {
  policy: DeliveryPolicy;
  publish?: Publish;
  /** Hears about problems the engine recovers from by itself. */
  onError: (message: string) => void;
}

/**
 * Works through the alert store's pending deliveries: claims those due (bounded concurrency,
 * so a slow output never holds the others back beyond its own slots), makes one attempt each,
 * records the result, and schedules retries with the policy's backoff (Retry-After wins).
 * After the retry budget a delivery is dead-lettered. Nothing is only in memory: a crash
 * leaves every undelivered pair pending in the store.
 */
export class DeliveryEngine {
  readonly tallies = new Map<string, OutputTally>();
  readonly #store: AlertStore;
  readonly #load: OutputLoader;
  readonly #options: EngineOptions;
  readonly #outputs = new Map<string, Promise<LoadedOutput>>();
  readonly #inFlight = new Set<Promise<void>>();
  #pumping = false;
  #pumpAgain = false;

  constructor(store: AlertStore, load: OutputLoader, options: EngineOptions) {
    this.#store = store;
    this.#load = load;
    this.#options = options;
  }

  /** Starts attempts for due deliveries while there are free slots; returns without waiting for them. */
  async pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        const { concurrency } = this.#options.policy;
        const free = concurrency - this.#inFlight.size;
        // Claim in batches (a quarter of the slots) rather than one store transaction per freed slot.
        if (free <= 0 || (this.#inFlight.size > 0 && free < Math.ceil(concurrency / 4))) break;
        const claimed = await this.#store.claimDue(Date.now(), free, this.#leaseMs());
        for (const delivery of claimed) this.#start(delivery);
        if (claimed.length === free) this.#pumpAgain = true;
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Delivers until nothing is pending, or until what is pending is not due before `deadline`
   * (epoch ms); what is left stays pending in the store for a later run.
   */
  async drain(deadline: number): Promise<void> {
    for (;;) {
      await this.pump();
      if (this.#inFlight.size > 0) {
        await Promise.race(this.#inFlight);
        continue;
      }
      const next = await this.#store.nextDueAt();
      if (next === undefined || next > deadline) return;
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  /**
   * Keeps delivering until `signal` aborts: retries as they fall due (checked at least every
   * second), new alerts as soon as the caller calls `pump`. Then waits for attempts in flight.
   */
  async deliverUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pump();
      const next = (await this.#store.nextDueAt()) ?? Number.POSITIVE_INFINITY;
      const waitMs = Math.min(1_000, Math.max(10, next - Date.now()));
      await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
    await Promise.allSettled(this.#inFlight);
  }

  #start(delivery: ClaimedDelivery): void {
    const attempt = this.#attempt(delivery)
      // The store could not record the attempt (e.g. DynamoDB throttled): the delivery's lease
      // brings it back later, at least once; say so and keep going.
      .catch((error: unknown) => this.#options.onError(`${delivery.output}: attempt for alert ${delivery.alert.id} not recorded (${error instanceof Error ? error.message : String(error)}); it will be retried`))
      .finally(() => {
        this.#inFlight.delete(attempt);
        void this.pump();
      });
    this.#inFlight.add(attempt);
  }

  async #attempt({ alert, output, attempts: before }: ClaimedDelivery): Promise<void> {
    const { policy } = this.#options;
    const result = await this.#dispatch(alert, output);
    const attempts = before + 1;
    const retryAt = result.kind === 'retry' && attempts < policy.maxAttempts ? Date.now() + retryDelayMs(policy, attempts, result) : undefined;
    await this.#store.record(alert.id, output, result, attempts, retryAt);
    this.#tally(output, result, retryAt === undefined);
  }

  async #dispatch(alert: Alert, name: string): Promise<DispatchResult> {
    const loaded = await this.#output(name);
    if (loaded.kind === 'unavailable') {
      // A temporary credentials problem gets a fresh load at the next attempt.
      if (loaded.result.kind === 'retry') this.#outputs.delete(name);
      return loaded.result;
    }
    return deliverTo(alert, loaded.output, this.#options.publish);
  }

  #output(name: string): Promise<LoadedOutput> {
    let loaded = this.#outputs.get(name);
    if (!loaded) {
      loaded = this.#load(name);
      this.#outputs.set(name, loaded);
    }
    return loaded;
  }

  /** Long enough for an attempt to finish, short enough that a crashed process's claims come back soon. */
  #leaseMs(): number {
    return this.#options.policy.timeoutMs * 2 + 5_000;
  }

  /** Counts final outcomes; a retry still scheduled only updates the last problem. */
  #tally(name: string, result: DispatchResult, final: boolean): void {
    let tally = this.tallies.get(name);
    if (!tally) this.tallies.set(name, (tally = { delivered: 0, failed: 0 }));
    if (result.kind === 'delivered') {
      tally.delivered++;
      return;
    }
    if (final) tally.failed++;
    tally.lastProblem = `${result.kind === 'retry' && !final ? 'retrying' : 'failed'}, ${result.reason}: ${result.message}`;
  }
}
