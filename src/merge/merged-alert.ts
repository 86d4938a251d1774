import { createAlert, streamAlertTime, type Alert, type JsonObject } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import { getFirstKey } from '../rules/helpers.ts';
import { canonicalJson } from './canonical-json.ts';
import { mergeSettingsOf, type MergeableAlert } from './settings.ts';

/**
 * The alert that stands for `members` once their window closes: StreamAlert's `Alert.merge`.
 * Its record says how many merged, when the first and last were raised, the merge keys' values
 * (`MergedBy`, '(n/a)' for a key the first record lacks), what every record shares
 * (`OtherCommonKeys`) and what each adds (`ValueDiffs`, keyed by its creation time); the merge
 * keys are left out of both. Rule, description, context and source come from the first alert,
 * the outputs (and their publishers) from the last, as StreamAlert does; staged if any was.
 *
 * @example
 *   mergedAlert(heldAlerts).record  // { AlertCount: 10, AlertTimeFirst: '...', MergedBy: { user: 'alice' }, ... }
 */
export function mergedAlert(members: readonly Alert[], now = new Date()): Alert {
  const alerts = [...members].sort((a, b) => a.created.getTime() - b.created.getTime());
  const first = alerts[0]!;
  const last = alerts[alerts.length - 1]!;
  const mergeKeys = new Set(mergeSettingsOf(first)?.byKeys ?? []);
  const records = alerts.map((alert) => cleanRecord(alert.record, mergeKeys));
  const common = computeCommon(records);
  const record: JsonObject = {
    AlertCount: alerts.length,
    AlertTimeFirst: streamAlertTime(first.created),
    AlertTimeLast: streamAlertTime(last.created),
    MergedBy: Object.fromEntries([...mergeKeys].map((key) => [key, getFirstKey(first.record, key, '(n/a)')])),
    OtherCommonKeys: common,
    ValueDiffs: Object.fromEntries(alerts.map((alert, index) => [streamAlertTime(alert.created), computeDiff(common, records[index]!)])),
  };
  const merged: MergeableAlert = {
    ...createAlert({
      ruleName: first.ruleName,
      ruleDescription: first.ruleDescription,
      record,
      outputs: last.outputs,
      created: now,
      logSource: first.logSource,
      logType: first.logType,
      severity: first.severity,
      context: first.context,
      cluster: first.cluster,
      sourceEntity: first.sourceEntity,
      sourceService: first.sourceService,
      staged: alerts.some((alert) => alert.staged),
      publishers: last.publishers,
    }),
    mergeOf: alerts.map((alert) => alert.id),
  };
  return merged;
}

/** The record without the merge keys, at every level of nested objects (not inside lists): StreamAlert's `_clean_record`. */
function cleanRecord(record: JsonObject, ignored: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([key]) => !ignored.has(key))
      .map(([key, value]) => [key, isPlainObject(value) ? cleanRecord(value, ignored) : value]),
  );
}

/** The greatest subset every record shares, nested objects compared part by part: StreamAlert's `_compute_common`. */
export function computeCommon(records: readonly JsonObject[]): JsonObject {
  if (records.length === 0) return {};
  if (records.length === 1) return records[0]!;
  const [first, ...others] = records as [JsonObject, ...JsonObject[]];
  const common: JsonObject = {};
  for (const [key, value] of Object.entries(first)) {
    if (!others.every((other) => Object.hasOwn(other, key))) continue;
    if (others.every((other) => equal(other[key], value))) {
      common[key] = value;
      continue;
    }
    if (!isPlainObject(value) || !others.every((other) => isPlainObject(other[key]))) continue;
    const nested = computeCommon(records.map((record) => record[key] as JsonObject));
    if (Object.keys(nested).length > 0) common[key] = nested;
  }
  return common;
}

/** What `record` holds that `common` does not: StreamAlert's `_compute_diff`. */
export function computeDiff(common: JsonObject, record: JsonObject): JsonObject {
  if (Object.keys(common).length === 0) return record;
  const diff: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (!Object.hasOwn(common, key)) {
      diff[key] = value;
      continue;
    }
    const shared = common[key];
    if (equal(value, shared)) continue;
    if (isPlainObject(value) && isPlainObject(shared)) {
      const inner = computeDiff(shared, value);
      if (Object.keys(inner).length > 0) diff[key] = inner;
    } else {
      diff[key] = value;
    }
  }
  return diff;
}

/** Deep equality of JSON values, object keys in any order (Python's ==). */
function equal(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && canonicalJson(a) === canonicalJson(b));
}
