import type { Alert } from '../alerts/alert.ts';

/**
 * Why a stored alert was not sent (src/noise): a silence matched it, its dedup window had not
 * reached the rule's threshold, the window had sent an alert already, or a rule inhibiting it fired.
 */
export const SUPPRESSION_REASONS = ['silenced', 'below_threshold', 'deduplicated', 'inhibited'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** The marker the store puts on an alert it keeps without deliveries, and what it points at. */
export interface Suppression {
  readonly reason: SuppressionReason;
  /** silenced: the silence's id. */
  readonly silenceId?: string;
  /** below_threshold and deduplicated: the dedup window the alert was counted in. */
  readonly windowId?: string;
  /** deduplicated: the alert of its window that was sent. */
  readonly onto?: string;
  /** inhibited: the rule whose alert held this one back. */
  readonly byRule?: string;
}

/** A rule's dedup window for one alert (Panther's dedup, dedupPeriodMins and threshold). */
export interface DedupSettings {
  /** The window's period from its first alert. */
  readonly periodMs: number;
  /** The alert that brings the window's count to this is the one sent. */
  readonly threshold: number;
}

/** What an alert carries about noise control, beside the fields of Alert; absent for a rule that uses none. */
export interface NoiseSettings {
  /** The rule's dedup(record), or the rule's name: the key windows and inhibitions are kept by. */
  readonly key: string;
  readonly dedup?: DedupSettings;
  /** The rules this alert holds back for its key ('*': for every key, when the rule has no dedup function). */
  readonly inhibits?: { readonly rules: readonly string[]; readonly windowMs: number; readonly key: string };
}

export interface NoiseFields {
  readonly noise?: NoiseSettings;
  readonly suppressed?: Suppression;
  /** On a dedup window's update alert: the alert sent for the window, whose thread (slack-bot) it replies in. */
  readonly updateOf?: string;
}

export type NoisyAlert = Alert & NoiseFields;

/** Inhibitions under this key hold back every alert of the inhibited rule. */
export const ANY_KEY = '*';

export function noiseOf(alert: Alert): NoiseSettings | undefined {
  return (alert as NoisyAlert).noise;
}

export function suppressionOf(alert: Alert): Suppression | undefined {
  return (alert as NoisyAlert).suppressed;
}

/** The alert sent for the dedup window an update alert reports on. */
export function updateOf(alert: Alert): string | undefined {
  return (alert as NoisyAlert).updateOf;
}

/** The alert as stored with its suppression marker. */
export function suppressed(alert: Alert, suppression: Suppression): Alert {
  return { ...alert, suppressed: suppression } as NoisyAlert;
}
