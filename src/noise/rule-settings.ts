import { ANY_KEY, type NoiseSettings } from './settings.ts';

/** A rule's noise options as the loader keeps them (see RuleOptions.dedup and the options after it). */
export interface RuleNoise {
  readonly dedup?: (record: never) => unknown;
  /** Present when the rule dedups: its window and threshold. */
  readonly window?: { readonly periodMs: number; readonly threshold: number };
  readonly inhibits?: { readonly rules: readonly string[]; readonly windowMs: number };
  /** Another rule inhibits this one: its alerts carry their key, to be looked up. */
  readonly inhibited?: boolean;
}

/** Panther's default dedup period. */
export const DEFAULT_DEDUP_PERIOD_MINS = 60;
/** The longest key kept: a longer one is cut (it only has to tell windows apart). */
export const MAX_DEDUP_KEY_CHARS = 1_000;

/**
 * What an alert of a rule with noise options carries (NoiseSettings), given the key its dedup
 * function returned (undefined: the rule has none, or it failed: the rule's name).
 *
 * @example
 *   noiseSettingsFor('duo_fraud', { window: { periodMs: 3600000, threshold: 5 } }, undefined)
 *   // { key: 'duo_fraud', dedup: { periodMs: 3600000, threshold: 5 } }
 */
export function noiseSettingsFor(ruleName: string, noise: RuleNoise, dedupKey: string | undefined): NoiseSettings {
  const key = (dedupKey ?? ruleName).slice(0, MAX_DEDUP_KEY_CHARS);
  return {
    key,
    ...(noise.window && { dedup: noise.window }),
    // Without a dedup function of its own, a rule inhibits every alert of the rules it names.
    ...(noise.inhibits && { inhibits: { ...noise.inhibits, key: noise.dedup ? key : ANY_KEY } }),
  };
}
