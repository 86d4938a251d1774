import type { Alert } from '../alerts/alert.ts';

/**
 * How a rule's alerts merge (StreamAlert's `merge_by_keys` and `merge_window_mins`), carried by
 * each of its alerts so a window closes as the rule was when the alert was raised.
 */
export interface MergeSettings {
  /** The keys whose values must be equal, found at any depth of the record (StreamAlert's get_first_key). */
  readonly byKeys: readonly string[];
  readonly windowMs: number;
  /** Our addition: the window's first alert is also sent at once, on its own. */
  readonly sendFirst: boolean;
  /** The merge keys and their values in one canonical text: alerts merge only with alerts of the same key. */
  readonly key: string;
}

/** What an alert may carry about merging, beside the fields of Alert. */
export interface MergeFields {
  /** Present on an alert of a merging rule: it is held for its window, not sent on its own. */
  readonly merge?: MergeSettings;
  /** Present on a merged alert: the ids of the alerts it merges, oldest first. */
  readonly mergeOf?: readonly string[];
}

export type MergeableAlert = Alert & MergeFields;

/** The alert's merge settings, when its rule merges. */
export function mergeSettingsOf(alert: Alert): MergeSettings | undefined {
  return (alert as MergeableAlert).merge;
}

/** The ids a merged alert merges, when it is one. */
export function mergedIdsOf(alert: Alert): readonly string[] | undefined {
  return (alert as MergeableAlert).mergeOf;
}
