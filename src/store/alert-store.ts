import type { Alert } from '../alerts/alert.ts';
import type { DispatchResult } from '../outputs/result.ts';

/** Where one (alert, output) delivery stands. `failed` is the dead letter: no more attempts. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One (alert, output) pair as stored: its status, attempts and last result. */
export interface DeliveryState {
  readonly alertId: string;
  readonly output: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** Epoch ms when a pending delivery is due (again). */
  readonly nextAttemptAt: number;
  /** The last attempt's result, as `kind reason: message` or `delivered (reference)`. */
  readonly lastResult?: string;
}

/** A delivery claimed for an attempt: the alert it carries and the attempts made so far. */
export interface ClaimedDelivery {
  readonly alert: Alert;
  readonly output: string;
  readonly attempts: number;
}

export interface StoredAlert {
  readonly alert: Alert;
  readonly deliveries: readonly DeliveryState[];
}

/**
 * What `alerts retry` puts back in the queue, due now: every pending delivery; with `failed`,
 * the dead-lettered ones too; with `alertId`, only that alert's undelivered outputs.
 */
export interface RequeueSelector {
  alertId?: string;
  failed?: boolean;
}

/**
 * The alert store: an alert is saved, with one pending delivery per output, before any output
 * is tried, and each attempt's result is recorded; a crash at any point loses nothing, and the
 * next process picks the pending deliveries up (at-least-once). SQLite embedded; DynamoDB is
 * the design's store at scale.
 */
export abstract class AlertStore {
  /** Checks the store can be used (e.g. that its table exists); throws a ConfigError naming the fix. */
  async verify(): Promise<void> {}

  /** Saves alerts and their pending deliveries, all or nothing. */
  abstract save(alerts: readonly Alert[]): Promise<void>;

  /**
   * Claims up to `limit` pending deliveries due by `now`, leasing each until `now + leaseMs`:
   * a process that dies mid-attempt leaves them due again when the lease ends.
   */
  abstract claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;

  /** Records an attempt: delivered, dead-lettered (`nextAttemptAt` undefined), or pending again. */
  abstract record(alertId: string, output: string, result: DispatchResult, attempts: number, nextAttemptAt?: number): Promise<void>;

  /** The earliest time a pending delivery is due, or undefined when none is pending. */
  abstract nextDueAt(): Promise<number | undefined>;

  /** Puts the selected deliveries back in the queue, due at `now`, attempts reset for dead letters. Returns how many. */
  abstract requeue(selector: RequeueSelector, now: number): Promise<number>;

  /** Pending deliveries by output. */
  abstract pendingByOutput(): Promise<Record<string, number>>;

  /** Alerts, newest first, with their deliveries; only those with a delivery in `status` if given. */
  abstract list(options?: { status?: DeliveryStatus; limit?: number }): Promise<StoredAlert[]>;

  abstract close(): void;
}

/** Where a delivery stands after an attempt: `retryAt` undefined means no further attempt. */
export function statusAfter(result: DispatchResult, retryAt: number | undefined): DeliveryStatus {
  if (result.kind === 'delivered') return 'delivered';
  return retryAt === undefined ? 'failed' : 'pending';
}

/** A delivery as both stores keep it (column and attribute names alike). */
export interface StoredDelivery {
  alert_id: string;
  output: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_result?: string | null;
}

export function toDeliveryState(stored: StoredDelivery): DeliveryState {
  return {
    alertId: stored.alert_id,
    output: stored.output,
    status: stored.status,
    attempts: stored.attempts,
    nextAttemptAt: stored.next_attempt_at,
    ...(stored.last_result == null ? {} : { lastResult: stored.last_result }),
  };
}

/** A result as one line for the store and for `alerts list`. */
export function describeStoredResult(result: DispatchResult): string {
  if (result.kind === 'delivered') return result.reference ? `delivered (${result.reference})` : 'delivered';
  return `${result.kind} ${result.reason}: ${result.message}`;
}
