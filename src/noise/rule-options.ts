import { DEFAULT_DEDUP_PERIOD_MINS, type RuleNoise } from './rule-settings.ts';

const MINUTE_MS = 60_000;
/** Bounds: a window or an inhibition of more than a week, or a threshold past a million, is a typo. */
const MAX_MINS = 7 * 24 * 60;
const MAX_THRESHOLD = 1_000_000;

/**
 * A rule's dedup, dedupPeriodMins, threshold, inhibits and inhibitWindowMins, checked: undefined
 * when it sets none; `fail` (which throws) with what is wrong otherwise.
 *
 * @example
 *   checkNoiseOptions({ threshold: 5, dedupPeriodMins: 10 }, 'duo_fraud', fail)
 *   // { window: { periodMs: 600000, threshold: 5 } }
 */
export function checkNoiseOptions(options: Record<string, unknown>, name: string, fail: (message: string) => never): RuleNoise | undefined {
  const { dedup, dedupPeriodMins, threshold, inhibits, inhibitWindowMins } = options;
  if (dedup !== undefined && typeof dedup !== 'function') fail("dedup must be a function of the record returning its key, e.g. dedup: (rec) => rec.user");
  if (dedupPeriodMins !== undefined && !isMinutes(dedupPeriodMins)) fail(`dedupPeriodMins must be a number of minutes, more than 0 and at most ${MAX_MINS}`);
  if (threshold !== undefined && !(Number.isInteger(threshold) && (threshold as number) >= 1 && (threshold as number) <= MAX_THRESHOLD)) {
    fail(`threshold must be a whole number from 1 to ${MAX_THRESHOLD.toLocaleString('en-US')}`);
  }
  if (inhibits !== undefined && (!Array.isArray(inhibits) || inhibits.length === 0 || inhibits.some((rule) => typeof rule !== 'string'))) {
    fail("inhibits must be a list of rule names, e.g. inhibits: ['duo_bypass']");
  }
  if ((inhibits as string[] | undefined)?.includes(name)) fail('a rule cannot inhibit itself (dedup already holds back its repeats)');
  if (inhibitWindowMins !== undefined && inhibits === undefined) fail('inhibitWindowMins needs inhibits: the rules to hold back');
  if (inhibitWindowMins !== undefined && !isMinutes(inhibitWindowMins)) fail(`inhibitWindowMins must be a number of minutes, more than 0 and at most ${MAX_MINS}`);

  const dedups = dedup !== undefined || dedupPeriodMins !== undefined || threshold !== undefined;
  if (!dedups && inhibits === undefined) return undefined;
  const periodMins = (dedupPeriodMins as number | undefined) ?? DEFAULT_DEDUP_PERIOD_MINS;
  return {
    ...(dedup !== undefined && { dedup: dedup as (record: never) => unknown }),
    ...(dedups && { window: { periodMs: Math.round(periodMins * MINUTE_MS), threshold: (threshold as number | undefined) ?? 1 } }),
    ...(inhibits !== undefined && { inhibits: { rules: [...new Set(inhibits as string[])], windowMs: Math.round(((inhibitWindowMins as number | undefined) ?? periodMins) * MINUTE_MS) } }),
  };
}

/**
 * Marks the rules others inhibit (their alerts then carry their key), in place; returns, per
 * inhibiting rule that names a rule that is not loaded, why it cannot load.
 */
export function markInhibited<T extends { readonly name: string; readonly noise?: RuleNoise }>(rules: Map<string, T>): Map<string, string> {
  const problems = new Map<string, string>();
  const inhibited = new Set<string>();
  for (const rule of rules.values()) {
    for (const target of rule.noise?.inhibits?.rules ?? []) {
      if (rules.has(target)) inhibited.add(target);
      else problems.set(rule.name, `inhibits '${target}', which is not a loaded rule (rules: ${[...rules.keys()].join(', ')})`);
    }
  }
  for (const name of inhibited) {
    const rule = rules.get(name)!;
    rules.set(name, { ...rule, noise: { ...rule.noise, inhibited: true } });
  }
  return problems;
}

function isMinutes(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && value <= MAX_MINS;
}
