import type { DispatchResult } from '../outputs/result.ts';

/** What became of a delivery after one attempt. */
export const OUTCOMES = ['delivered', 'retrying', 'dead-lettered'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * One attempt to one output, as the delivery engine tells its listeners (logs, metrics,
 * dead-letter notices): which alert and rule, how the attempt went, and what happens next.
 */
export interface DeliveryOutcome {
  /** `service:descriptor`. */
  readonly output: string;
  readonly alertId: string;
  readonly rule: string;
  /** 1-based count of attempts for this delivery, this one included. */
  readonly attempt: number;
  readonly result: DispatchResult;
  /** Wall time of the attempt, in milliseconds. */
  readonly durationMs: number;
  readonly outcome: Outcome;
  /** Epoch ms of the next attempt when `outcome` is 'retrying'. */
  readonly retryAt?: number;
}

/** Hears about every attempt's outcome; must not throw (an exception is reported and ignored). */
export type DeliveryListener = (outcome: DeliveryOutcome) => void;
