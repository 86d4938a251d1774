import type { RateLimit } from '../outputs/limits.ts';

/**
 * One output's token bucket: `burst` sends at once, then `perSecond` sustained. A token reserved
 * before it is there is owed: the caller waits the time `reserve` returns before it sends.
 */
class TokenBucket {
  readonly limit: RateLimit;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now: number) {
    this.limit = limit;
    this.#tokens = limit.burst;
    this.#at = now;
  }

  /** Whole tokens there now. */
  available(now: number): number {
    this.#refill(now);
    return Math.max(0, Math.floor(this.#tokens));
  }

  /** Takes a token, owed for up to `maxWaitMs`: the wait before using it, or undefined (nothing taken) when it would be longer. */
  reserve(now: number, maxWaitMs: number): number | undefined {
    this.#refill(now);
    const waitMs = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.limit.perSecond) * 1000);
    if (waitMs > maxWaitMs) return undefined;
    this.#tokens -= 1;
    return waitMs;
  }

  /** How long until a whole token is there (0 when one is). */
  msUntilToken(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.limit.perSecond) * 1000);
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.limit.burst, this.#tokens + ((now - this.#at) / 1000) * this.limit.perSecond);
    this.#at = now;
  }
}

/**
 * The delivery engine's rate limits, per output: what each output declared (its service's
 * `limits.rate`, or the user's `ratePerSecond` in conf/output_settings.json), learned when it is
 * loaded. The engine claims no more deliveries for an output than it has tokens, so a burst of
 * alerts waits in the store, due, instead of earning a storm of 429s. Per process: two processes
 * delivering to one output each keep to the limit.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  /** Takes note of an output's limit (undefined: none), keeping its bucket while the limit is the same. */
  learn(output: string, limit: RateLimit | undefined, now: number): void {
    const bucket = this.#buckets.get(output);
    if (!limit) this.#buckets.delete(output);
    else if (!bucket || bucket.limit.perSecond !== limit.perSecond || bucket.limit.burst !== limit.burst) this.#buckets.set(output, new TokenBucket(limit, now));
  }

  /** Each rate-limited output with the sends it may start now. */
  allowances(now: number): Map<string, number> {
    return new Map([...this.#buckets].map(([output, bucket]) => [output, bucket.available(now)]));
  }

  /**
   * Reserves a token for one send to `output`: the wait before it may go (0: at once, or no
   * limit), or undefined, taking nothing, when that wait would be longer than `maxWaitMs`.
   */
  reserve(output: string, now: number, maxWaitMs: number): number | undefined {
    const bucket = this.#buckets.get(output);
    return bucket ? bucket.reserve(now, maxWaitMs) : 0;
  }

  /** The limit `output` keeps to, if any. */
  limitOf(output: string): RateLimit | undefined {
    return this.#buckets.get(output)?.limit;
  }

  /** The soonest any exhausted output has a token again, in ms from `now`; undefined when none is exhausted. */
  msUntilNextToken(now: number): number | undefined {
    let soonest: number | undefined;
    for (const bucket of this.#buckets.values()) {
      const wait = bucket.msUntilToken(now);
      if (wait > 0) soonest = Math.min(soonest ?? wait, wait);
    }
    return soonest;
  }
}
