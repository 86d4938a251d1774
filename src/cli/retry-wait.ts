import type { DeliveryEngine } from '../delivery/engine.ts';
import { drainWithMerges, type Merger } from '../merge/merger.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { ProgressLine } from './progress.ts';
import type { OutputDeliveries } from './run-summary.ts';

/** How often the retry phase's line is redrawn: it counts down in seconds. */
const REFRESH_MS = 1_000;

/** How `run`'s wait for retries ended: nothing left to wait for (or the deadline), or Ctrl-C. */
export type RetryWaitEnd = 'drained' | 'interrupted';

/**
 * `run`'s wait for retries, `engine.drain(deadline)`, made visible and stoppable. At a terminal
 * the progress line shows the retry phase (`waiting for retries: 2 deliveries pending, next
 * attempt in 14 s`) instead of the input's finished bar. Ctrl-C ends the wait, not the process:
 * the run goes on to record the attempts in flight and print its summary, and says what stays
 * pending (`interruptedMessage`). A second Ctrl-C ends the process at once.
 *
 * @example
 *   const end = await waitForRetries(session, started + maxWaitMs, progress);
 *   if (end === 'interrupted') throw new CliError(interruptedMessage(summary.deliveries), EXIT.cancelled);
 */
export async function waitForRetries(session: { engine: DeliveryEngine; store: AlertStore; merger: Merger }, deadline: number, progress: ProgressLine): Promise<RetryWaitEnd> {
  let interrupt = (): void => undefined;
  const interrupted = new Promise<RetryWaitEnd>((resolve) => (interrupt = () => resolve('interrupted')));
  process.once('SIGINT', interrupt);
  const show = () => void showRetryPhase(session.store, progress).catch(() => undefined);
  const refresh = progress.enabled ? setInterval(show, REFRESH_MS) : undefined;
  if (progress.enabled) show();
  // Merge windows closing before the deadline are waited for too: their merged alerts are deliveries to make.
  const drained = drainWithMerges(session, deadline).then((): RetryWaitEnd => 'drained');
  try {
    return await Promise.race([drained, interrupted]);
  } finally {
    clearInterval(refresh);
    process.removeListener('SIGINT', interrupt);
    // An interrupted drain stops when the session closes its store; how it stops is of no interest.
    drained.catch(() => undefined);
  }
}

/**
 * What `run` says when Ctrl-C ended its wait for retries: how many deliveries stay pending and
 * what delivers them.
 *
 * @example
 *   interruptedMessage({ 'slack:sec-alerts': { delivered: 4, failed: 0, pending: 2 } })
 *   // "cancelled while waiting for retries: 2 deliveries stay pending (stored); 'streamalert alerts retry' or the next run delivers them"
 */
export function interruptedMessage(deliveries: Record<string, OutputDeliveries>): string {
  const pending = Object.values(deliveries).reduce((sum, output) => sum + output.pending, 0);
  if (pending === 0) return 'cancelled while waiting for retries: no delivery was left pending';
  const one = pending === 1;
  return `cancelled while waiting for retries: ${pending.toLocaleString('en-US')} deliver${one ? 'y stays' : 'ies stay'} pending (stored); 'streamalert alerts retry' or the next run delivers ${one ? 'it' : 'them'}`;
}

async function showRetryPhase(store: AlertStore, progress: ProgressLine): Promise<void> {
  const [byOutput, nextDueAt, merges] = await Promise.all([store.pendingByOutput(), store.nextDueAt(), store.openMerges()]);
  const pending = Object.values(byOutput).reduce((sum, count) => sum + count, 0);
  if (pending === 0 && merges.nextClosesAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((merges.nextClosesAt - Date.now()) / 1000));
    progress.update(() => `waiting for merges: ${merges.count.toLocaleString('en-US')} window${merges.count === 1 ? '' : 's'} open, the next closes in ${seconds} s (Ctrl-C stops waiting; the alerts stay stored)`);
    return;
  }
  if (pending === 0) return;
  const seconds = nextDueAt === undefined ? 0 : Math.ceil((nextDueAt - Date.now()) / 1000);
  const next = seconds > 0 ? `next attempt in ${seconds} s` : 'attempting now';
  progress.update(() => `waiting for retries: ${pending.toLocaleString('en-US')} deliver${pending === 1 ? 'y' : 'ies'} pending, ${next} (Ctrl-C stops waiting; they stay stored)`);
}
