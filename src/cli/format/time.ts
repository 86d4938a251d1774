import { formatDuration } from '../../delivery/policy.ts';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A point in time given as a span back from `now` (`90s`, `30m`, `1h`, `7d`) or as a date
 * (`2026-12-01`, `2026-12-01T08:00:00Z`); undefined when it is neither.
 *
 * @example
 *   parseSince('1h', Date.parse('2026-12-01T09:00:00Z'))  // Date.parse('2026-12-01T08:00:00Z')
 */
export function parseSince(text: string, now: number): number | undefined {
  const span = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (span) return now - Number(span[1]) * UNIT_MS[span[2] as keyof typeof UNIT_MS];
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : date;
}

/** When a pending delivery is next tried, for people: `in 4 min (2026-12-01T20:31:02Z)`, or `now`. */
export function formatNextAttempt(at: number, now: number): string {
  if (at <= now) return 'due now';
  return `next attempt in ${formatDuration(at - now)} (${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')})`;
}
