import { normalizeRecord } from './normalize.ts';
import { NORMALIZATION_KEY, type LogNormalization, type Normalization } from './types.ts';

/**
 * What a rule's record offers besides its fields: its normalized values. Neither the method nor
 * `rec['streamalert_normalization']` is an enumerable field, so the record's JSON, the stored
 * alert and what outputs send stay as classified (StreamAlert's alert processor drops the key
 * before outputs too).
 *
 * @example
 *   rule({ logs: ['cloudtrail:events'], datatypes: ['sourceAddress'], outputs: ['slack:sec'] },
 *     (rec) => rec.normalized('sourceAddress').some((ip) => inNetwork(ip, ['10.0.0.0/8'])));
 */
export interface NormalizedRecord {
  /** Every value of the normalized type in this record, each once; [] when it has none. */
  normalized(type: string): readonly unknown[];
}

const EMPTY: readonly unknown[] = Object.freeze([]);
/** Computed normalizations, by record: each is computed at its first use (most rules never ask). */
const byRecord = new WeakMap<object, Normalization>();

/** The record's normalization if its log type has any: computed now if it was not yet. */
function resultOf(record: object): Normalization | undefined {
  // The getter below computes and keeps it; a record whose own field has the key's name got it computed at once.
  return byRecord.get(record) ?? ((record as Record<string, unknown>)[NORMALIZATION_KEY] as Normalization | undefined);
}

// One shared method: `this` is the record it is called on.
function normalized(this: unknown, type: string): readonly unknown[] {
  return typeof this === 'object' && this !== null ? valuesOf(byRecord.has(this) || Object.hasOwn(this, NORMALIZATION_KEY) ? resultOf(this) : undefined, type) : EMPTY;
}
const METHOD: PropertyDescriptor = Object.freeze({ value: normalized, enumerable: false, writable: false, configurable: true });

/** Per log type's normalization, the key's getter: shared by all its records, so giving a record its normalization allocates nothing. */
const keyDescriptors = new WeakMap<LogNormalization, PropertyDescriptor>();
function keyDescriptor(spec: LogNormalization): PropertyDescriptor {
  let descriptor = keyDescriptors.get(spec);
  if (descriptor === undefined) {
    descriptor = Object.freeze({
      get(this: object): Normalization {
        let normalization = byRecord.get(this);
        if (normalization === undefined) byRecord.set(this, (normalization = normalizeRecord(this as Record<string, unknown>, spec)));
        return normalization;
      },
      enumerable: false,
      configurable: true,
    });
    keyDescriptors.set(spec, descriptor);
  }
  return descriptor;
}

/**
 * Gives a record (before it is frozen) its normalization: `record.normalized(type)` always, and
 * `record['streamalert_normalization']` when its log type normalizes anything, as StreamAlert
 * adds the key. The values are computed at the first use, once. A field of the record's own
 * named `normalized` or `streamalert_normalization` is left as it is (fetchValuesByDatatype
 * still works there).
 *
 * @example
 *   attachNormalization(record, normalizationOf(schema));
 *   record.normalized('ip_address')  // ['1.2.3.4']
 */
export function attachNormalization(record: object, spec: LogNormalization | undefined): void {
  if (Object.isFrozen(record)) return;
  if (!Object.hasOwn(record, 'normalized')) Object.defineProperty(record, 'normalized', METHOD);
  if (spec === undefined) return;
  if (Object.hasOwn(record, NORMALIZATION_KEY)) byRecord.set(record, normalizeRecord(record as Record<string, unknown>, spec));
  else Object.defineProperty(record, NORMALIZATION_KEY, keyDescriptor(spec));
}

/**
 * StreamAlert's `fetch_values_by_datatype` (and `Normalizer.get_values_for_normalized_type`):
 * every value of a normalized type in the record, each once; [] when there is none. Works on the
 * records rules get and on plain objects holding a `streamalert_normalization` key, in StreamAlert
 * 3.3's shape (`{type: [{values, function}]}`) or 3.0's (`{type: [values]}`).
 *
 * @example
 *   fetchValuesByDatatype(rec, 'command').some((command) => typeof command === 'string' && command.includes('\u202e'))
 */
export function fetchValuesByDatatype(record: unknown, datatype: string): readonly unknown[] {
  if (typeof record !== 'object' || record === null) return EMPTY;
  return valuesOf(resultOf(record), datatype);
}

/** True when the record has a value for at least one of the types (a rule's `datatypes`). */
export function hasNormalizedType(record: object, types: readonly string[]): boolean {
  const normalization = resultOf(record);
  return normalization !== undefined && types.some((type) => normalization[type] !== undefined);
}

function valuesOf(normalization: unknown, type: string): readonly unknown[] {
  const entries: unknown = typeof normalization === 'object' && normalization !== null ? (normalization as Record<string, unknown>)[type] : undefined;
  if (!Array.isArray(entries) || entries.length === 0) return EMPTY;
  const seen = new Set<unknown>();
  const values: unknown[] = [];
  for (const entry of entries) {
    const isEntry = typeof entry === 'object' && entry !== null && Array.isArray((entry as { values?: unknown }).values);
    for (const value of isEntry ? ((entry as { values: unknown[] }).values) : [entry]) {
      if (seen.has(value)) continue;
      seen.add(value);
      values.push(value);
    }
  }
  return Object.freeze(values);
}
