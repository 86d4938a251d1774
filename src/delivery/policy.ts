import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';
import type { Retry } from '../outputs/result.ts';

/**
 * How deliveries are retried: data, set under "delivery" in conf/global.json.
 * Exponential backoff with full jitter (a random wait between 0 and base x 2^(attempt-1),
 * capped), so that many alerts failing together do not retry together; a server's
 * Retry-After wins over the computed wait.
 */
export const DeliveryPolicySchema = z
  .object({
    /** Attempts per (alert, output), the first included. */
    maxAttempts: z.number().int().min(1).max(100).default(5),
    baseDelayMs: z.number().int().min(1).default(500),
    maxDelayMs: z.number().int().min(1).default(30_000),
    /** Deliveries in flight at once, across outputs. */
    concurrency: z.number().int().min(1).max(10_000).default(64),
    /** Per request to an output. */
    timeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();
export type DeliveryPolicy = z.infer<typeof DeliveryPolicySchema>;

/** The policy in a project's conf/global.json "delivery" section, defaults filled in. */
export function deliveryPolicyOf(delivery: unknown): DeliveryPolicy {
  const parsed = DeliveryPolicySchema.safeParse(delivery ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `delivery.${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`conf/global.json is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The wait before attempt `attempt + 1`, after `attempt` attempts ended in `result`. */
export function retryDelayMs(policy: DeliveryPolicy, attempt: number, result: Retry, random = Math.random): number {
  if (result.retryAfterMs !== undefined) return result.retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
