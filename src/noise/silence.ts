import { setFlagsFromString } from 'node:v8';
import { toAlertDocument, type Alert } from '../alerts/alert.ts';

// Silences' regexes run on V8's linear-time engine (the `l` flag): a matcher such as `(a+)+b`
// cannot make matching an alert backtrack without end, whoever wrote it (POST /v1/silences).
setFlagsFromString('--enable-experimental-regexp-engine');

/** Bounds on what a silence holds: it is read for every batch of alerts, and shown whole. */
export const SILENCE_LIMITS = { matchers: 20, nameChars: 200, valueChars: 1_000, commentChars: 1_000, createdByChars: 200, maxDurationMs: 366 * 86_400_000 } as const;

/** `=` equal, `!=` not equal, `=~` the whole value matches the regex, `!~` it does not (Alertmanager's four). */
export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

/** One matcher over the alert document: a dotted path (`rule_name`, `record.user.name`), an operator and a value. */
export interface SilenceMatcher {
  readonly name: string;
  readonly operator: MatchOperator;
  readonly value: string;
}

/** A silence (Alertmanager's model): while it is active, the alerts all its matchers match are stored, not sent. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  /** Epoch ms it starts; it ends (exclusive) at endsAt. Expiring a silence sets endsAt to that moment. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: number;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(silence: Silence, now: number): SilenceState {
  if (now >= silence.endsAt) return 'expired';
  return now < silence.startsAt ? 'pending' : 'active';
}

/**
 * A matcher written `K=V`, `K!=V`, `K=~REGEX` or `K!~REGEX`; throws, saying what is wrong, for
 * anything else (an unknown form, a key that is not a dotted path, a value too long, a regex that
 * does not compile).
 *
 * @example
 *   parseMatcher('record.user=~al.*')  // { name: 'record.user', operator: '=~', value: 'al.*' }
 */
export function parseMatcher(text: string): SilenceMatcher {
  const found = /^([A-Za-z0-9_][\w.-]*)\s*(=~|!~|!=|=)(.*)$/s.exec(text);
  if (!found) throw new Error(`'${text.slice(0, 80)}' is not a matcher: write KEY=VALUE, KEY!=VALUE, KEY=~REGEX or KEY!~REGEX, KEY a path in the alert document (rule_name, record.user)`);
  const [, name, operator, value] = found as unknown as [string, string, MatchOperator, string];
  if (name.length > SILENCE_LIMITS.nameChars) throw new Error(`the matcher key is longer than ${SILENCE_LIMITS.nameChars} characters`);
  if (value.length > SILENCE_LIMITS.valueChars) throw new Error(`the value of matcher '${name}' is longer than ${SILENCE_LIMITS.valueChars} characters`);
  if (operator === '=~' || operator === '!~') {
    try {
      anchored(value);
    } catch (error) {
      const reason = (error as Error).message;
      // What RE2 (Alertmanager's engine) refuses too: the linear-time engine cannot run them.
      const hint = reason.includes('linear time') ? ': backreferences, lookaheads and lookbehinds are not supported, as in Alertmanager' : '';
      throw new Error(`the regex of matcher '${name}' does not compile (${reason})${hint}`);
    }
  }
  return { name, operator, value };
}

/** A matcher as written: the inverse of parseMatcher. */
export function formatMatcher({ name, operator, value }: SilenceMatcher): string {
  return `${name}${operator}${value}`;
}

/** The earliest creation time of `alerts` (epoch ms): the silences ended before it matter to none of them. */
export function earliestCreated(alerts: readonly Alert[]): number {
  return alerts.reduce((earliest, alert) => Math.min(earliest, alert.created.getTime()), Number.POSITIVE_INFINITY);
}

/** The first of `silences` active at the alert's creation that matches it, if any. */
export function silenceFor(alert: Alert, silences: readonly Silence[]): Silence | undefined {
  const at = alert.created.getTime();
  let document: Record<string, unknown> | undefined;
  for (const silence of silences) {
    if (silenceState(silence, at) !== 'active') continue;
    document ??= { ...toAlertDocument(alert), severity: alert.severity };
    if (silence.matchers.every((matcher) => matches(matcher, document!))) return silence;
  }
  return undefined;
}

/** Regexes compiled once per process: the same few silences are matched against every alert. */
const compiled = new Map<string, RegExp>();

/** Fully anchored, as Alertmanager anchors its regex matchers; matched in time linear in the value. */
function anchored(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) {
    regex = new RegExp(`^(?:${source})$`, 'sl');
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

function matches({ name, operator, value }: SilenceMatcher, document: Record<string, unknown>): boolean {
  const actual = valueAt(document, name);
  switch (operator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '=~':
      return regexMatches(value, actual) === true;
    case '!~':
      return regexMatches(value, actual) === false;
  }
}

/** Whether the regex matches; undefined when it does not compile (one stored before regexes ran in linear time): its silence applies to nothing. */
function regexMatches(source: string, actual: string): boolean | undefined {
  try {
    return anchored(source).test(actual);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path as text; a missing one reads as '' (Alertmanager's missing label), an object as its JSON. */
function valueAt(document: Record<string, unknown>, path: string): string {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A silence as the API and `--json` give it. */
export function silenceJson(silence: Silence, now: number) {
  return {
    id: silence.id,
    state: silenceState(silence, now),
    matchers: silence.matchers.map(formatMatcher),
    starts_at: new Date(silence.startsAt).toISOString(),
    ends_at: new Date(silence.endsAt).toISOString(),
    created_by: silence.createdBy,
    comment: silence.comment,
    created_at: new Date(silence.createdAt).toISOString(),
  };
}
