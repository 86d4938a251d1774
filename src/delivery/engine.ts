import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../alerts/alert.ts';
import { describeError } from '../observability/describe-error.ts';
import type { OutputBase } from '../outputs/output.ts';
import { failed, retry, type DispatchResult, type Retry } from '../outputs/result.ts';
import type { AlertStore, ClaimedDelivery } from '../store/alert-store.ts';
import type { LoadedOutput } from './configured-outputs.ts';
import { deadLetterNotice, isDeadLetterNotice } from './dead-letter.ts';
import { deliverTo, type Publish } from './deliver.ts';
import type { DeliveryListener, DeliveryOutcome, Outcome } from './events.ts';
import { attemptDeadlineMs, budgetSpent, leaseMs, nextAttemptAt, type DeliveryPolicy } from './policy.ts';
import { RateLimiter } from './rate-limit.ts';

/** Per output: how deliveries ended in this engine's life. */
export interface OutputTally {
  delivered: number;
  /** Dead-lettered: a permanent failure, or the retry budget spent. */
  failed: number;
  /** The latest reason a delivery did not go through, for the summary. */
  lastProblem?: string;
}

/**
 * Builds (or says why it cannot build) the output named `service:descriptor`. Called for every
 * attempt: a long-running process caches behind it (OutputCache, which also follows conf/ changes).
 */
export type OutputLoader = (name: string) => Promise<LoadedOutput>;

export interface EngineOptions {
  policy: DeliveryPolicy;
  publish?: Publish;
  /** Hears about problems the engine recovers from by itself. */
  onError: (message: string) => void;
  /** The output a dead-lettered delivery falls back to (conf/output_settings.json `fallback`), if any. */
  fallbackOf?: (output: string) => string | undefined;
  /** The output told about every dead letter (conf/global.json `deadLetterOutput`), if any. */
  deadLetterOutput?: string;
  /** Claims and drains only these alerts' deliveries (the alert processor the alerts table's stream triggers). */
  alertIds?: readonly string[];
}

/**
 * Works through the alert store's pending deliveries: claims those due (bounded concurrency
 * overall and per output, so a slow output never holds the others back), makes one attempt
 * each, records the result, and schedules retries with the policy's backoff (Retry-After
 * wins) until the retry budget in time is spent. A dead letter is never silent: listeners hear
 * of it, the output's fallback gets the alert, and the dead-letter output gets a notice, each
 * as a delivery of its own in the store. Nothing is only in memory: a crash leaves every
 * undelivered pair pending in the store.
 */
export class DeliveryEngine {
  readonly tallies = new Map<string, OutputTally>();
  readonly #store: AlertStore;
  readonly #load: OutputLoader;
  readonly #options: EngineOptions;
  readonly #listeners: DeliveryListener[] = [];
  /** Each output's declared (or configured) rate: claims take no more than its tokens. */
  readonly #rates = new RateLimiter();
  /** Every attempt not yet over: sending, or having its result recorded. */
  readonly #inFlight = new Set<Promise<void>>();
  /**
   * Attempts sending now, per output: the slots the policy's limits count. An attempt gives its
   * slot back once its output answered, before its result is recorded, so the claim for its
   * successor rides in the same commit as the result (SqliteAlertStore.claimDue).
   */
  readonly #sendingByOutput = new Map<string, number>();
  #sending = 0;
  /** The pump running now, if any: settle() waits for it, as it may start attempts. */
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  /** Set by settle(): no more claims, so nothing starts once the store is about to close. */
  #settling = false;
  /** Set by drain() to its deadline (epoch ms): no claims after it. */
  #claimsUntil = Number.POSITIVE_INFINITY;

  constructor(store: AlertStore, load: OutputLoader, options: EngineOptions) {
    this.#store = store;
    this.#load = load;
    this.#options = options;
  }

  /** Calls `listener` with the outcome of every attempt from now on. */
  listen(listener: DeliveryListener): void {
    this.#listeners.push(listener);
  }

  /** Starts attempts for due deliveries while there are free slots; returns without waiting for them. */
  async pump(): Promise<void> {
    if (this.#settling) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#claimAndStart();
    try {
      await this.#pumping;
    } finally {
      this.#pumping = undefined;
    }
  }

  /** Claims due deliveries in batches and starts an attempt for each, while slots are free. */
  async #claimAndStart(): Promise<void> {
    // Attempts ending together each ask for a pump: let them all free their slots first, and
    // claim for them at once (in the group commit that records their results, see #sent).
    await new Promise((resolve) => setImmediate(resolve));
    do {
      this.#pumpAgain = false;
      if (Date.now() >= this.#claimsUntil) break;
      const { concurrency, perOutputConcurrency } = this.#options.policy;
      const free = concurrency - this.#sending;
      // Claim in batches (a quarter of the slots) rather than one store transaction per freed slot.
      if (free <= 0 || (this.#sending > 0 && free < Math.ceil(concurrency / 4))) break;
      const now = Date.now();
      const claimed = await this.#store.claimDue({
        now,
        limit: free,
        leaseMs: this.#leaseMs(),
        perOutput: perOutputConcurrency,
        inFlight: this.#claimableInFlight(perOutputConcurrency, now),
        ...(this.#options.alertIds && { alertIds: this.#options.alertIds }),
      });
      for (const delivery of claimed) this.#start(delivery);
      // A full batch may leave more to claim. One cut short by the outputs' limits does not:
      // their attempts ending ask for the next claim (so does a drain's or serve's timer).
      if (claimed.length >= free) this.#pumpAgain = true;
    } while (this.#pumpAgain && !this.#settling);
  }

  /**
   * Delivers until nothing is pending, or until what is pending is not due before `deadline`
   * (epoch ms); what is left stays pending in the store for a later run. Nothing starts after
   * the deadline, and the attempts in flight then end within their own deadline
   * (attemptDeadlineMs): drain returns at most one attempt deadline late, with every result
   * recorded, so a summary made next is true.
   */
  async drain(deadline: number): Promise<void> {
    this.#claimsUntil = deadline;
    try {
      for (;;) {
        await this.pump();
        if (this.#inFlight.size > 0) {
          await Promise.race(this.#inFlight);
          continue;
        }
        const next = await this.#store.nextDueAt(this.#options.alertIds);
        if (next === undefined || next > deadline || Date.now() >= deadline) return;
        // Checked at least every second: what is due may be another process's lease, finished early.
        await sleep(this.#idleMs(next, Date.now()));
      }
    } finally {
      this.#claimsUntil = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Keeps delivering until `signal` aborts: retries as they fall due (checked at least every
   * second), new alerts as soon as the caller calls `pump`. Then waits for attempts in flight.
   */
  async deliverUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let waitMs = 1_000;
      try {
        await this.pump();
        waitMs = this.#idleMs(await this.#store.nextDueAt(), Date.now());
      } catch (error) {
        // A store that failed (disk full, locked too long) may recover: say so and try again.
        this.#options.onError(`could not claim due deliveries (${messageOf(error)}); will try again`);
      }
      await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
    await this.settle();
  }

  /**
   * Stops claiming, then waits for the attempts in flight to finish and be recorded: the last
   * call before the store closes, so no attempt outlives it (its result would be lost, and the
   * alert sent again).
   */
  async settle(): Promise<void> {
    this.#settling = true;
    while (this.#pumping || this.#inFlight.size > 0) await Promise.allSettled([this.#pumping, ...this.#inFlight]);
  }

  /**
   * Attempts in flight per output as the claim should count them. The same batching per output:
   * an output with attempts in flight and less than a quarter of its slots free is reported full,
   * so a claim waits until a few of its slots are free (one transaction for them) instead of
   * claiming one delivery per attempt that ends. It never starves: as its attempts end, its room
   * grows past the quarter.
   */
  #claimableInFlight(perOutput: number, now: number): ReadonlyMap<string, number> {
    const quarter = Math.ceil(perOutput / 4);
    const counted = new Map<string, number>();
    for (const [output, sending] of this.#sendingByOutput) counted.set(output, perOutput - sending < quarter ? perOutput : sending);
    // A rate-limited output is offered no more than its tokens: the rest stay due in the store.
    for (const [output, tokens] of this.#rates.allowances(now)) counted.set(output, Math.max(counted.get(output) ?? 0, perOutput - tokens));
    return counted;
  }

  #start(delivery: ClaimedDelivery): void {
    const { output } = delivery;
    this.#sending++;
    this.#sendingByOutput.set(output, (this.#sendingByOutput.get(output) ?? 0) + 1);
    const attempt = this.#attempt(delivery)
      // The store could not record the attempt (e.g. DynamoDB throttled): the delivery's lease
      // brings it back later, at least once; say so and keep going.
      .catch((error: unknown) => this.#options.onError(`${output}: attempt for alert ${delivery.alert.id} not recorded (${messageOf(error)}); it will be retried`))
      .finally(() => this.#inFlight.delete(attempt));
    this.#inFlight.add(attempt);
  }

  /**
   * The attempt's slot is free: its output answered. The pump asked for here claims in the turn's
   * check phase, before the store commits the results recorded in this turn, so it joins them.
   */
  #sent(output: string): void {
    this.#sending--;
    const left = (this.#sendingByOutput.get(output) ?? 1) - 1;
    if (left > 0) this.#sendingByOutput.set(output, left);
    else this.#sendingByOutput.delete(output);
    this.#pumpInBackground();
  }

  async #attempt(claim: ClaimedDelivery): Promise<void> {
    const { policy } = this.#options;
    const at = Date.now();
    let result: DispatchResult;
    try {
      result = await this.#dispatch(claim.alert, claim.output);
    } finally {
      this.#sent(claim.output);
    }
    const now = Date.now();
    const attempts = claim.attempts + 1;
    const retryAt = result.kind === 'retry' ? nextAttemptAt(policy, claim.queuedAt, attempts, result, now) : undefined;
    // A retryable failure past its budget is dead-lettered with the reason it was given up.
    if (result.kind === 'retry' && retryAt === undefined) result = failed(result.reason, `${result.message}; ${budgetSpent(policy, attempts)}`);
    const recorded = await this.#store.record(claim, { result, at, durationMs: now - at, ...(retryAt !== undefined && { nextAttemptAt: retryAt }) });
    if (!recorded) {
      this.#options.onError(`${claim.output}: the lease on alert ${claim.alert.id} ran out during the attempt; another worker has it now, so this result was not recorded`);
      return;
    }
    const outcome: Outcome = result.kind === 'delivered' ? 'delivered' : retryAt === undefined ? 'dead-lettered' : 'retrying';
    this.#tally(claim.output, result, outcome);
    this.#tell({
      output: claim.output,
      alertId: claim.alert.id,
      rule: claim.alert.ruleName,
      attempt: attempts,
      result,
      durationMs: now - at,
      outcome,
      ...(retryAt !== undefined && { retryAt }),
    });
    if (outcome === 'dead-lettered') await this.#afterDeadLetter(claim, result, attempts, now);
  }

  /** The fallback output gets the alert, the dead-letter output a notice: deliveries of their own. */
  async #afterDeadLetter(claim: ClaimedDelivery, result: DispatchResult, attempts: number, now: number): Promise<void> {
    const { alert, output } = claim;
    const fallback = this.#options.fallbackOf?.(output);
    if (fallback !== undefined && fallback !== output) await this.#store.addDeliveries(alert.id, [fallback], now);
    const { deadLetterOutput } = this.#options;
    // A notice that itself dead-letters raises no notice of its own: no loop.
    if (deadLetterOutput !== undefined && !isDeadLetterNotice(alert)) {
      await this.#store.save([deadLetterNotice({ alert, output, result, attempts, fallback, to: deadLetterOutput })]);
    }
    if (fallback !== undefined || deadLetterOutput !== undefined) this.#pumpInBackground();
  }

  /** A pump nobody awaits: a store that fails here (closed, locked) is reported, the lease brings the work back. */
  #pumpInBackground(): void {
    this.pump().catch((error: unknown) => this.#options.onError(`could not claim due deliveries (${messageOf(error)}); will try again`));
  }

  async #dispatch(alert: Alert, name: string): Promise<DispatchResult> {
    const loaded = await this.#load(name);
    if (loaded.kind === 'unavailable') return loaded.result;
    const heldBack = await this.#keepToRate(name, loaded.output);
    if (heldBack) return heldBack;
    return deliverTo(alert, loaded.output, this.#options.publish, attemptDeadlineMs(this.#options.policy));
  }

  /**
   * Waits for the output's next token, if it has a rate limit. Claims take no more than its
   * tokens, so the wait is short, except for the first claim to an output (its limit is learned
   * as it is loaded): a wait too long for the lease is a retry, due when the token is.
   */
  async #keepToRate(name: string, output: OutputBase): Promise<Retry | undefined> {
    const now = Date.now();
    this.#rates.learn(name, output.rateLimit, now);
    const waitMs = this.#rates.reserve(name, now, this.#leaseMs() / 4);
    if (waitMs === undefined) {
      const limit = this.#rates.limitOf(name)!;
      return retry('rate_limited', `held back to keep to ${name}'s rate limit of ${limit.perSecond} per second (burst ${limit.burst}); no request was made`, Math.ceil(1000 / limit.perSecond));
    }
    if (waitMs > 0) await sleep(waitMs);
    return undefined;
  }

  /** How long a loop with nothing to do now may sleep: until the next due delivery, or a rate-limited output's next token. */
  #idleMs(nextDueAt: number | undefined, now: number): number {
    const untilDue = (nextDueAt ?? Number.POSITIVE_INFINITY) - now;
    if (untilDue > 0) return Math.min(1_000, untilDue);
    // Due now, yet nothing was claimed: what is due waits for a token (or another process's lease).
    return Math.min(1_000, Math.max(10, this.#rates.msUntilNextToken(now) ?? 10));
  }

  #tell(outcome: DeliveryOutcome): void {
    for (const listener of this.#listeners) {
      try {
        listener(outcome);
      } catch (error) {
        this.#options.onError(`a delivery listener failed: ${messageOf(error)}`);
      }
    }
  }

  /**
   * Long enough for an attempt to finish, short enough that a crashed process's claims come back
   * soon: every attempt is cut off at attemptDeadlineMs, which policy.ts keeps below the lease.
   */
  #leaseMs(): number {
    return leaseMs(this.#options.policy);
  }

  /** Counts final outcomes; a retry still scheduled only updates the last problem. */
  #tally(name: string, result: DispatchResult, outcome: Outcome): void {
    let tally = this.tallies.get(name);
    if (!tally) this.tallies.set(name, (tally = { delivered: 0, failed: 0 }));
    if (result.kind === 'delivered') {
      tally.delivered++;
      return;
    }
    if (outcome === 'dead-lettered') tally.failed++;
    tally.lastProblem = `${outcome === 'retrying' ? 'retrying' : 'failed'}, ${result.reason}: ${result.message}`;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describeError(error);
}
