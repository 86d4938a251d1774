import type { AttemptEntry, DeliveryState } from '../../store/alert-store.ts';
import { printable } from '../../outputs/http/printable.ts';
import { formatNextAttempt } from './time.ts';

/** One delivery as `alerts list` and `alerts show` print it. */
export function formatDelivery(d: DeliveryState, now: number): string {
  const next = d.status === 'pending' ? `  ${formatNextAttempt(d.nextAttemptAt, now)}` : '';
  return `${d.output.padEnd(28)} ${d.status.padEnd(9)} attempts ${d.attempts}${next}${d.lastResult ? `  ${printable(d.lastResult)}` : ''}`;
}

/** One attempt of a delivery's history. */
export function formatAttempt(a: AttemptEntry): string {
  return `${new Date(a.at).toISOString()}  ${a.output.padEnd(28)} ${printable(a.result)}  (${a.durationMs} ms)`;
}

/** A delivery in `--json` output: snake_case, as StreamAlert's alert documents, times in ISO-8601. */
export function deliveryJson(d: DeliveryState) {
  return {
    output: d.output,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
    queued_at: new Date(d.queuedAt).toISOString(),
    last_result: d.lastResult ?? null,
  };
}

export function attemptJson(a: AttemptEntry) {
  return { output: a.output, at: new Date(a.at).toISOString(), duration_ms: a.durationMs, result: a.result };
}
