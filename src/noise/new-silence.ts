import { timeOrderedUuid } from '../alerts/alert.ts';
import { z } from '../config/zod.ts';
import { parseMatcher, SILENCE_LIMITS, type Silence } from './silence.ts';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * What `silence add` and `POST /v1/silences` take: matchers as written (`K=V`, `K=~REGEX`), how
 * long (`for`: 90s, 30m, 2h, 7d) and, optionally, when it starts (an ISO 8601 time; default now).
 */
export const silenceRequestSchema = z.strictObject({
  matchers: z.array(z.string().max(SILENCE_LIMITS.nameChars + SILENCE_LIMITS.valueChars + 2)).min(1).max(SILENCE_LIMITS.matchers),
  for: z.string().max(20),
  starts: z.string().max(40).optional(),
  comment: z.string().max(SILENCE_LIMITS.commentChars),
});
export type SilenceRequest = z.infer<typeof silenceRequestSchema>;

/**
 * The silence a request asks for, made by `createdBy` at `now`; throws an Error saying what is
 * wrong with the request (a matcher, the duration, the start, an empty comment).
 *
 * @example
 *   newSilence({ matchers: ['rule_name=duo_fraud'], for: '2h', comment: 'pen test' }, 'alice', Date.now())
 */
export function newSilence(request: SilenceRequest, createdBy: string, now: number): Silence {
  const matchers = request.matchers.map(parseMatcher);
  const durationMs = parseDuration(request.for);
  if (durationMs === undefined) throw new Error(`'${request.for}' is not a duration: write a number and a unit, e.g. 90s, 30m, 2h or 7d`);
  if (durationMs > SILENCE_LIMITS.maxDurationMs) throw new Error(`a silence lasts at most 366 days (got ${request.for})`);
  const startsAt = request.starts === undefined ? now : Date.parse(request.starts);
  if (Number.isNaN(startsAt) || !/^\d{4}-\d{2}-\d{2}/.test(request.starts ?? '0000-00-00')) {
    throw new Error(`'${request.starts}' is not a start time: write an ISO 8601 time, e.g. 2026-12-01T18:00:00Z`);
  }
  const comment = request.comment.trim();
  if (comment === '') throw new Error('a silence needs a comment saying why (the ticket, the pen test)');
  return { id: timeOrderedUuid(now), matchers, startsAt, endsAt: startsAt + durationMs, createdBy: createdBy.slice(0, SILENCE_LIMITS.createdByChars), comment, createdAt: now };
}

/** A duration such as 90s, 30m, 2h, 1.5h or 7d in ms; undefined for anything else, or for none. */
export function parseDuration(text: string): number | undefined {
  const found = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  const ms = found ? Math.round(Number(found[1]) * UNIT_MS[found[2] as keyof typeof UNIT_MS]) : 0;
  return ms > 0 ? ms : undefined;
}
