import { printable } from '../../outputs/http/printable.ts';
import type { DeliveryState } from '../../store/alert-store.ts';
import { html, type Html } from './html.ts';

/** An epoch-ms time as the console shows it: ISO 8601 to the second, UTC, in a <time> element. */
export function time(epochMs: number): Html {
  const iso = new Date(epochMs).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}Z</time>`;
}

/** `45 s`, `20 min`, `3 h`: an age a person reads at a glance. */
export function age(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** A delivery's status as a badge (the class colours it). */
export function statusBadge(status: DeliveryState['status']): Html {
  return html`<span class="status status-${status}">${status}</span>`;
}

/** A stored result line, its control characters shown, never interpreted (as `alerts list` prints it). */
export function resultText(result: string | undefined): string {
  return result === undefined ? '' : printable(result);
}

/** Where a pending delivery stands next: due now, or in how long. */
export function nextAttempt(delivery: DeliveryState, now: number): string {
  if (delivery.status !== 'pending') return '';
  return delivery.nextAttemptAt <= now ? 'due now' : `next attempt in ${age(delivery.nextAttemptAt - now)}`;
}
