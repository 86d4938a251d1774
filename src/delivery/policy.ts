import { z } from '../config/zod.ts';
import { parseConfig } from '../config/validate.ts';
import type { Retry } from '../outputs/result.ts';

const HOUR_MS = 3_600_000;

/**
 * How deliveries are retried: data, set under "delivery" in conf/global.json.
 * A delivery is retried until it is delivered, fails permanently, or its retry budget in time
 * (`maxAgeMs`, from when it was queued) is spent: an outage of hours costs no alert. Waits grow
 * exponentially with full jitter (a random wait between 0 and base x 2^(attempt-1), capped),
 * so that many alerts failing together do not retry together; a server's Retry-After wins
 * over the computed wait, up to the cap.
 */
export const DeliveryPolicySchema = z
  .object({
    /** The retry budget: how long after it was queued a delivery may still be attempted. */
    maxAgeMs: z.number().int().min(1_000).default(24 * HOUR_MS),
    /** An optional cap on attempts per (alert, output), the first included; by default only the budget in time limits them. */
    maxAttempts: z.number().int().min(1).max(100_000).optional(),
    baseDelayMs: z.number().int().min(1).default(1_000),
    /** The longest wait between two attempts, Retry-After included. */
    maxDelayMs: z.number().int().min(1).default(5 * 60_000),
    /** Deliveries in flight at once, across outputs. */
    concurrency: z.number().int().min(1).max(10_000).default(64),
    /** Deliveries in flight at once to any one output, so a slow output cannot take every slot. */
    perOutputConcurrency: z.number().int().min(1).max(10_000).default(16),
    /** Per request to an output, from sending it to the end of the answer. */
    timeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();
export type DeliveryPolicy = z.infer<typeof DeliveryPolicySchema>;

/** The policy in a project's conf/global.json "delivery" section, defaults filled in (a ConfigError in our words otherwise). */
export function deliveryPolicyOf(delivery: unknown): DeliveryPolicy {
  return parseConfig(DeliveryPolicySchema, delivery ?? {}, { file: 'conf/global.json', at: ['delivery'] });
}

/**
 * How many request timeouts one attempt may take in all. An output may make several requests
 * in one attempt (SOAR up to three); each has its own `timeoutMs`, and all are aborted when the
 * attempt's deadline passes.
 */
const TIMEOUTS_PER_ATTEMPT = 2;

/** After an attempt's deadline, the time left to record its result before the lease ends. */
const LEASE_MARGIN_MS = 5_000;

/** How long one attempt to one output may take, all its requests included: 2 x timeoutMs. */
export function attemptDeadlineMs(policy: Pick<DeliveryPolicy, 'timeoutMs'>): number {
  return policy.timeoutMs * TIMEOUTS_PER_ATTEMPT;
}

/**
 * How long a claim holds a delivery: the attempt's deadline plus a margin to record the result
 * (2 x timeoutMs + 5 s). The invariant: attempt deadline < lease. An attempt that outlived its
 * lease would see its delivery claimed again and sent twice.
 */
export function leaseMs(policy: Pick<DeliveryPolicy, 'timeoutMs'>): number {
  return attemptDeadlineMs(policy) + LEASE_MARGIN_MS;
}

/** The wait before attempt `attempt + 1`, after `attempt` attempts ended in `result`. */
export function retryDelayMs(policy: DeliveryPolicy, attempt: number, result: Retry, random = Math.random): number {
  // A Retry-After of years (seen: 99999999999) would park the delivery forever: cap it.
  if (result.retryAfterMs !== undefined) return Math.min(result.retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return Math.floor(random() * ceiling);
}

/**
 * When to try a delivery again after `attempts` attempts, the last ending in `result` at `now`;
 * undefined when its budget is spent. The budget's last moment gets one last attempt.
 */
export function nextAttemptAt(policy: DeliveryPolicy, queuedAt: number, attempts: number, result: Retry, now: number): number | undefined {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) return undefined;
  const budgetEnd = queuedAt + policy.maxAgeMs;
  if (now >= budgetEnd) return undefined;
  return Math.min(now + retryDelayMs(policy, attempts, result), budgetEnd);
}

/** Why a retryable delivery was given up, for its dead letter. */
export function budgetSpent(policy: DeliveryPolicy, attempts: number): string {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) return `gave up after ${attempts} attempts (delivery.maxAttempts)`;
  return `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${formatDuration(policy.maxAgeMs)} (delivery.maxAgeMs)`;
}

/** 90_000 -> '1.5 min', 86_400_000 -> '24 h'. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < HOUR_MS) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / HOUR_MS).toFixed(1)} h`;
}
