import type { Project } from '../config/project.ts';
import { attemptDeadlineMs } from '../delivery/policy.ts';
import { openDeliverySession, type DeliverySession } from '../delivery/session.ts';
import { pendingByOutputOf } from '../store/alert-store.ts';
import { insertedAlertIds, isDynamoDbStreamEvent, type DynamoDbStreamEvent } from './events/dynamodb-stream.ts';
import { oldestPendingAgeSeconds, oldestPendingMetricLine } from './oldest-pending-metric.ts';
import { loadedProject } from './project.ts';

/** Per output: deliveries that went through, and dead letters, in this invocation. */
export type DeliveryTallies = Record<string, { delivered: number; failed: number }>;

/** The scheduled sweeper's result: what it delivered, and what is still pending by output. */
export interface AlertProcessorResult {
  deliveries: DeliveryTallies;
  pending: Record<string, number>;
}

/** The stream-triggered processor's result: how many new alerts the event named, and what it delivered of theirs. */
export interface NewAlertsResult {
  alerts: number;
  deliveries: DeliveryTallies;
}

/** The part of the Lambda context the alert processor uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back at the end of an invocation, past the last attempt's deadline, to record results and close. */
const CLOSE_MARGIN_MS = 5_000;

/**
 * The alert processor function, in two modes by its trigger:
 * - the alerts table's DynamoDB stream: delivers only the new alerts' deliveries, at once,
 *   claimed through the store like any other (a sweeper running meanwhile never sends one
 *   twice); retries that fall due after the invocation's time are left to the sweeper;
 * - a schedule (every minute), or any other event: the sweeper, delivering whatever is due
 *   (retries, and alerts a stream invocation did not finish), then logging the oldest pending
 *   delivery's age as an embedded-metric-format line (the stack alarms on it).
 * Either way it starts no attempt later than one attempt deadline (2 x `delivery.timeoutMs`)
 * plus 5 s before the invocation's time runs out, so the last attempts are recorded.
 */
export async function alertProcessor(event: unknown, context: InvocationContext): Promise<AlertProcessorResult | NewAlertsResult> {
  if (isDynamoDbStreamEvent(event)) return alertStreamProcessor(event, context);
  const { project } = await loadedProject();
  const session = await openDeliverySession(project);
  return withSession(session, async () => {
    await drainWithin(session, project, context);
    const backlog = await session.store.backlog();
    const now = Date.now();
    // Once a minute, from the sweeper only: the backlog reads the whole pending index, too much for every stream batch.
    // Straight to stdout, not console.log: the line must be the whole log event, whatever the function's log format.
    process.stdout.write(`${oldestPendingMetricLine(project.global.account.prefix, oldestPendingAgeSeconds(backlog, now), now)}\n`);
    return { deliveries: talliesOf(session), pending: pendingByOutputOf(backlog) };
  });
}

/** The alert processor for the alerts table's stream alone (the deployed stack's stream function): see alertProcessor. */
export async function alertStreamProcessor(event: DynamoDbStreamEvent, context: InvocationContext): Promise<NewAlertsResult> {
  const alertIds = insertedAlertIds(event);
  if (alertIds.length === 0) return { alerts: 0, deliveries: {} };
  const { project } = await loadedProject();
  const session = await openDeliverySession(project, { alertIds });
  return withSession(session, async () => {
    await drainWithin(session, project, context);
    return { alerts: alertIds.length, deliveries: talliesOf(session) };
  });
}

async function withSession<T>(session: DeliverySession, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await session.close();
  }
}

function drainWithin(session: DeliverySession, project: Project, context: InvocationContext): Promise<void> {
  // An attempt started just before the deadline may run its whole attempt deadline: keep that back.
  const reserveMs = attemptDeadlineMs(project.global.delivery) + CLOSE_MARGIN_MS;
  return session.engine.drain(Date.now() + Math.max(0, context.getRemainingTimeInMillis() - reserveMs));
}

function talliesOf(session: DeliverySession): DeliveryTallies {
  return Object.fromEntries([...session.engine.tallies].map(([name, { delivered, failed }]) => [name, { delivered, failed }]));
}
