import type { Alert } from '../alerts/alert.ts';
import type { DispatchResult } from '../outputs/result.ts';
import type { BuildMergedAlert, MergeMembership, OpenMerges } from './merges.ts';
import { SUPPRESSION_REASONS, type SuppressionReason } from '../noise/settings.ts';
import type { Silence } from '../noise/silence.ts';

/**
 * Where one (alert, output) delivery stands. `failed` is the dead letter: no more attempts
 * until someone replays it; `discarded` is a dead letter someone chose to give up on.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'discarded'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * What `alerts list --status` selects: a delivery status, or why an alert was stored without
 * deliveries (src/noise), `suppressed` meaning for any of those reasons.
 */
export const ALERT_STATUSES = [...DELIVERY_STATUSES, ...SUPPRESSION_REASONS, 'suppressed'] as const;
export type AlertStatus = DeliveryStatus | SuppressionReason | 'suppressed';

/** Whether `status` selects alerts by their suppression rather than by a delivery. */
export function isSuppressionStatus(status: AlertStatus | undefined): status is SuppressionReason | 'suppressed' {
  return status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status);
}

/** One (alert, output) pair as stored: its status, attempts and last result. */
export interface DeliveryState {
  readonly alertId: string;
  readonly output: string;
  readonly status: DeliveryStatus;
  /** Attempts since the delivery was (re)queued: the count its backoff and budget use. */
  readonly attempts: number;
  /** Epoch ms when a pending delivery is due (again). */
  readonly nextAttemptAt: number;
  /** Epoch ms the delivery was queued (or replayed): its retry budget runs from here. */
  readonly queuedAt: number;
  /** The last attempt's result, as `kind reason: message` or `delivered (reference)`. */
  readonly lastResult?: string;
}

/** One attempt as kept in a delivery's history. */
export interface AttemptEntry {
  readonly output: string;
  /** Epoch ms the attempt started. */
  readonly at: number;
  readonly durationMs: number;
  /** The result, described as in `DeliveryState.lastResult`. */
  readonly result: string;
}

/**
 * A delivery claimed for an attempt: the alert it carries, the attempts made so far, and the
 * lease that fences the result (only the holder of the current lease can record it).
 */
export interface ClaimedDelivery {
  readonly alert: Alert;
  readonly output: string;
  readonly attempts: number;
  readonly queuedAt: number;
  /** Epoch ms the lease ends; also the claim's fencing token. */
  readonly leaseUntil: number;
}

/** What to claim: up to `limit` deliveries due by `now`, at most `perOutput` in flight per output. */
export interface ClaimRequest {
  readonly now: number;
  readonly limit: number;
  readonly leaseMs: number;
  readonly perOutput: number;
  /** Attempts already in flight per output, which count against `perOutput`. */
  readonly inFlight?: ReadonlyMap<string, number>;
  /** Only these alerts' deliveries (the alert processor the alerts table's stream triggers); default: every alert's. */
  readonly alertIds?: readonly string[];
}

/** One attempt's result, to record against its claim. */
export interface AttemptRecord {
  readonly result: DispatchResult;
  /** Epoch ms the attempt started, and how long it took. */
  readonly at: number;
  readonly durationMs: number;
  /** When to try again; undefined ends the delivery (delivered, or dead-lettered). */
  readonly nextAttemptAt?: number;
}

/** What a save did besides storing: the alerts it suppressed (stored, not sent), by reason. */
export interface SaveOutcome {
  readonly suppressed: Partial<Record<SuppressionReason, number>>;
}

/** Adds `reason` to a tally of suppressions. */
export function countSuppressed(tally: SaveOutcome['suppressed'], reason: SuppressionReason, by = 1): void {
  tally[reason] = (tally[reason] ?? 0) + by;
}

/** Adds a save's suppressions to a running tally (a run's, an invocation's). */
export function addSuppressed(tally: SaveOutcome['suppressed'], saved: SaveOutcome): void {
  for (const [reason, count] of Object.entries(saved.suppressed) as [SuppressionReason, number][]) countSuppressed(tally, reason, count);
}

export interface StoredAlert {
  readonly alert: Alert;
  readonly deliveries: readonly DeliveryState[];
}

/** One alert with every attempt made for it, oldest first (`alerts show`). */
export interface AlertDetail extends StoredAlert {
  readonly history: readonly AttemptEntry[];
}

/** Which alerts `list` returns: newest first, all filters applying together. */
export interface ListFilter {
  /** Only alerts with a delivery in this status, or suppressed for this reason (see ALERT_STATUSES). */
  readonly status?: AlertStatus;
  readonly rule?: string;
  /** Only alerts with a delivery to this output. */
  readonly output?: string;
  /** Epoch ms: only alerts created at or after. */
  readonly since?: number;
  /** Epoch ms: only alerts created before (the console's next page starts at the last one shown). */
  readonly until?: number;
  readonly limit?: number;
}

/**
 * What `alerts retry` puts back in the queue, due now: every pending delivery; with `failed`,
 * the dead-lettered ones too; with `alertId`, only that alert's undelivered outputs.
 */
export interface RequeueSelector {
  alertId?: string;
  failed?: boolean;
  /** Only this output's deliveries (the console's "replay all for an output", or one dead letter with alertId). */
  output?: string;
}

/** Which dead letters `alerts discard` gives up on: one alert's, or one output's. */
export interface DiscardSelector {
  alertId?: string;
  output?: string;
}

/** Per output: what is waiting, what is dead-lettered, and since when the oldest waits. */
export interface OutputBacklog {
  pending: number;
  failed: number;
  /** Epoch ms the oldest pending delivery was queued. */
  oldestPendingAt?: number;
}

/** Per output: its attempts since a time, from the attempt history (the console's overview). */
export interface OutputAttemptStats {
  attempts: number;
  delivered: number;
  /** Attempts whose result was `retry` or `failed`. */
  notDelivered: number;
  meanDurationMs: number;
  maxDurationMs: number;
  /** The latest attempt: when it started and its result. */
  lastAt: number;
  lastResult: string;
}

/** How many alerts one rule raised in one time bucket. */
export interface RuleAlertCount {
  rule: string;
  /** Epoch ms the bucket starts (a multiple of the bucket's width). */
  bucketStart: number;
  count: number;
}

/**
 * The alert store: an alert is saved, with one pending delivery per output, before any output
 * is tried, and each attempt's result is recorded; a crash at any point loses nothing, and the
 * next process picks the pending deliveries up (at-least-once). SQLite embedded; DynamoDB is
 * the design's store at scale. Both pass one contract suite (test/store/alert-store.test.ts).
 */
export abstract class AlertStore {
  /** Where the store lives, for messages (a file path, a table name). */
  abstract readonly location: string;

  /** Checks the store can be used (e.g. that its table exists); throws a ConfigError naming the fix. */
  async verify(): Promise<void> {}

  /**
   * Saves alerts and their pending deliveries, all or nothing; saving an alert again changes
   * nothing. An alert an active silence matches, that an inhibiting rule holds back, or that its
   * rule's dedup window does not send (src/noise) is saved with its suppression marker and no
   * deliveries. Says how many of the alerts saved now were suppressed, and why.
   */
  abstract save(alerts: readonly Alert[]): Promise<SaveOutcome>;

  /** Adds pending deliveries to a stored alert (a fallback output); returns the outputs added. */
  abstract addDeliveries(alertId: string, outputs: readonly string[], now: number): Promise<string[]>;

  /**
   * Claims pending deliveries due by `now`, leasing each until `now + leaseMs`: a process that
   * dies mid-attempt leaves them due again when the lease ends.
   */
  abstract claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]>;

  /**
   * Records an attempt against its claim and adds it to the delivery's history: delivered,
   * dead-lettered (`nextAttemptAt` undefined) or pending again. Returns false, recording
   * nothing, when the claim's lease was lost (another worker holds the delivery now).
   */
  abstract record(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean>;

  /** The earliest time a pending delivery (of these alerts only, when given) is due, or undefined when none is pending. */
  abstract nextDueAt(alertIds?: readonly string[]): Promise<number | undefined>;

  /** Puts the selected deliveries back in the queue, due at `now`; dead letters get a fresh budget. Returns how many. */
  abstract requeue(selector: RequeueSelector, now: number): Promise<number>;

  /** Marks the selected dead letters discarded: never attempted again. Returns how many. */
  abstract discard(selector: DiscardSelector): Promise<number>;

  /** Per output with anything pending or dead-lettered. */
  abstract backlog(): Promise<Record<string, OutputBacklog>>;

  /** Alerts, newest first, with their deliveries. */
  abstract list(filter?: ListFilter): Promise<StoredAlert[]>;

  /** Per output, its attempts started at or after `since` (epoch ms). */
  abstract attemptStats(since: number): Promise<Record<string, OutputAttemptStats>>;

  /** Alerts created at or after `since`, counted per rule and per `bucketMs`-wide bucket. */
  abstract alertCounts(since: number, bucketMs: number): Promise<RuleAlertCount[]>;

  /** One alert with its deliveries and every attempt, or undefined. */
  abstract get(alertId: string): Promise<AlertDetail | undefined>;

  /**
   * The reference `output` gave when it delivered alert `alertId` (its id for the message: a
   * Slack message's channel and ts), or undefined when it has not delivered it or gave none.
   * Outputs read it through their context (OutputContext.deliveries) to reply in a thread.
   */
  abstract deliveredReference(alertId: string, output: string): Promise<string | undefined>;

  /** Deletes alerts created before `before` whose deliveries are all finished (delivered or discarded). Returns how many. */
  abstract prune(before: number): Promise<number>;

  /**
   * Closes the merge windows due by `now` (src/merge): for each, exactly once however many
   * processes try, the merged alert `build` makes is saved with its pending deliveries and the
   * window's alerts are marked merged into it, in one transaction. Returns the merged alerts saved.
   * (An alert of a merging rule is held by `save`: stored, in its window, not sent.)
   */
  abstract closeDueMerges(now: number, build: BuildMergedAlert): Promise<Alert[]>;

  /** How many merge windows are open, and when the next closes. */
  abstract openMerges(): Promise<OpenMerges>;

  /** For each of these alerts held for merging, its window and what became of it. */
  abstract mergeMemberships(alertIds: readonly string[]): Promise<Map<string, MergeMembership>>;

  /**
   * Closes the dedup windows due by `now` (src/noise), each once however many processes try: a
   * window whose count grew after it sent its alert gets one update alert, saved with its
   * pending deliveries. Returns the update alerts saved.
   */
  abstract closeDueDedups(now: number): Promise<Alert[]>;

  /** Stores a silence: `save` applies it from the next alert saved, in any process. */
  abstract addSilence(silence: Silence): Promise<void>;

  /** The silences, newest first, expired ones too (up to `limit`, default 1,000). */
  abstract silences(limit?: number): Promise<Silence[]>;

  /** Ends a silence at `now` (unless it has ended already); the silence as it is then, or undefined when there is none with that id. */
  abstract expireSilence(id: string, now: number): Promise<Silence | undefined>;

  abstract close(): void;

  /** Pending deliveries by output. */
  async pendingByOutput(): Promise<Record<string, number>> {
    return pendingByOutputOf(await this.backlog());
  }
}

/** Pending deliveries by output, from a backlog already read. */
export function pendingByOutputOf(backlog: Readonly<Record<string, OutputBacklog>>): Record<string, number> {
  return Object.fromEntries(Object.entries(backlog).flatMap(([output, { pending }]) => (pending > 0 ? [[output, pending]] : [])));
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
  queued_at?: number | null;
  last_result?: string | null;
}

export function toDeliveryState(stored: StoredDelivery): DeliveryState {
  return {
    alertId: stored.alert_id,
    output: stored.output,
    status: stored.status,
    attempts: stored.attempts,
    nextAttemptAt: stored.next_attempt_at,
    queuedAt: stored.queued_at ?? 0,
    ...(stored.last_result == null ? {} : { lastResult: stored.last_result }),
  };
}

/** The reference a delivered delivery's last result holds (see describeStoredResult), else undefined. */
export function referenceOf(stored: Pick<StoredDelivery, 'status' | 'last_result'> | undefined): string | undefined {
  const text = stored?.last_result;
  if (stored?.status !== 'delivered' || !text?.startsWith(DELIVERED_WITH) || !text.endsWith(')')) return undefined;
  return text.slice(DELIVERED_WITH.length, -1);
}

const DELIVERED_WITH = 'delivered (';

/** A result as one line for the store and for `alerts list`. */
export function describeStoredResult(result: DispatchResult): string {
  if (result.kind === 'delivered') return result.reference ? `${DELIVERED_WITH}${result.reference})` : 'delivered';
  return `${result.kind} ${result.reason}: ${result.message}`;
}

/** How many more attempts `output` may start, per the request. */
export function roomFor(request: ClaimRequest, output: string): number {
  return request.perOutput - (request.inFlight?.get(output) ?? 0);
}

/** Of `candidates`, soonest due first, those the request may take: up to `limit`, each output up to its room. */
export function withinRoom<T extends { output: string }>(request: ClaimRequest, candidates: readonly T[]): T[] {
  const taken = new Map<string, number>();
  const chosen: T[] = [];
  for (const candidate of candidates) {
    if (chosen.length >= request.limit) break;
    const count = taken.get(candidate.output) ?? 0;
    if (count >= roomFor(request, candidate.output)) continue;
    taken.set(candidate.output, count + 1);
    chosen.push(candidate);
  }
  return chosen;
}

/** The outputs already at their limit, which a claim skips. */
export function saturatedOutputs(request: ClaimRequest): string[] {
  return [...(request.inFlight ?? new Map<string, number>()).keys()].filter((output) => roomFor(request, output) <= 0);
}
