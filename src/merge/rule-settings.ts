import { getFirstKey } from '../rules/helpers.ts';
import { canonicalJson } from './canonical-json.ts';
import type { MergeSettings } from './settings.ts';

/** A rule's merge options as the loader keeps them. */
export interface RuleMergeOptions {
  readonly mergeByKeys?: readonly string[];
  readonly mergeWindowMins?: number;
  readonly mergeSendFirst?: boolean;
}

const MINUTE_MS = 60_000;

/**
 * The merge settings of an alert `rule` raises for `record`, or undefined when the rule does not
 * merge: as StreamAlert, both keys and a window are needed (`merge_enabled`). A key missing from
 * the record reads as null, so the alerts missing it merge with each other (StreamAlert compares
 * get_first_key's None). Fractions of a minute are honoured (StreamAlert keeps whole minutes).
 *
 * @example
 *   mergeSettingsFor({ mergeByKeys: ['user'], mergeWindowMins: 30 }, { user: 'alice' })
 *   // { byKeys: ['user'], windowMs: 1800000, sendFirst: false, key: '[["user","alice"]]' }
 */
export function mergeSettingsFor(rule: RuleMergeOptions, record: object): MergeSettings | undefined {
  const { mergeByKeys = [], mergeWindowMins = 0 } = rule;
  if (mergeByKeys.length === 0 || !(mergeWindowMins > 0)) return undefined;
  const byKeys = [...new Set(mergeByKeys)].sort();
  const key = canonicalJson(byKeys.map((name) => [name, getFirstKey(record, name, null) ?? null]));
  return { byKeys, windowMs: Math.round(mergeWindowMins * MINUTE_MS), sendFirst: rule.mergeSendFirst === true, key };
}
