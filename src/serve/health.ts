import type { OutputBacklog } from '../store/alert-store.ts';

/** What `GET /healthz` answers (always HTTP 200 while the server runs; a monitor reads `status`). */
export interface Health {
  /** `degraded`: dead letters exist, or a delivery has waited longer than `serve.degradedPendingMs`. */
  readonly status: 'ok' | 'degraded';
  readonly pending: number;
  readonly dead_letters: number;
  /** Why the status is `degraded`, one line per output. */
  readonly problems: readonly string[];
  /** Per output with anything pending or dead-lettered. */
  readonly outputs: Record<string, { pending: number; dead_letters: number; oldest_pending_age_seconds?: number }>;
}

/**
 * The health of delivery, from the alert store's backlog: `ok`, or `degraded` with the
 * reasons, so that a monitor can alert while a load balancer keeps sending records in.
 *
 * @example
 *   healthOf({ 'slack:sec-alerts': { pending: 0, failed: 2 } }, Date.now(), 900_000)
 *   // { status: 'degraded', pending: 0, dead_letters: 2, problems: ['slack:sec-alerts: 2 dead letters ...'], outputs: {...} }
 */
export function healthOf(backlog: Record<string, OutputBacklog>, now: number, degradedPendingMs: number): Health {
  const problems: string[] = [];
  const outputs: Health['outputs'] = {};
  let pending = 0;
  let deadLetters = 0;
  for (const [output, { pending: waiting, failed, oldestPendingAt }] of Object.entries(backlog)) {
    pending += waiting;
    deadLetters += failed;
    const ageMs = oldestPendingAt === undefined ? undefined : Math.max(0, now - oldestPendingAt);
    outputs[output] = { pending: waiting, dead_letters: failed, ...(ageMs !== undefined && { oldest_pending_age_seconds: Math.round(ageMs / 1000) }) };
    if (failed > 0) problems.push(`${output}: ${failed} dead letter${failed === 1 ? '' : 's'} (streamalert alerts list --status failed; alerts retry --failed replays them)`);
    if (ageMs !== undefined && ageMs > degradedPendingMs) {
      problems.push(`${output}: a delivery has been pending for ${duration(ageMs)} (serve.degradedPendingMs is ${duration(degradedPendingMs)})`);
    }
  }
  return { status: problems.length > 0 ? 'degraded' : 'ok', pending, dead_letters: deadLetters, problems, outputs };
}

/** `45 s`, `20 min`: minutes once a count of seconds gets hard to read. */
function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
