import type { Extractor, LogNormalization, Normalization, NormalizationCondition, NormalizedEntry } from './types.ts';

type JsonObject = { [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A record's normalization, computed as StreamAlert computes it: for each normalized type of the
 * log type, one entry per extractor that finds a value; types with no value are left out.
 *
 * @example
 *   normalizeRecord({ detail: { sourceIPAddress: '1.2.3.4' } }, spec)
 *   // { ip_address: [{ values: ['1.2.3.4'], function: 'Source IP addresses' }] }
 */
export function normalizeRecord(record: JsonObject, spec: LogNormalization): Normalization {
  const result: Record<string, readonly NormalizedEntry[]> = {};
  for (const type of spec.types) {
    const entries: NormalizedEntry[] = [];
    for (const extractor of type.extractors) {
      const entry = extract(record, extractor);
      if (entry !== undefined) entries.push(Object.freeze(entry));
    }
    if (entries.length > 0) result[type.name] = Object.freeze(entries);
  }
  return Object.freeze(result);
}

function extract(record: JsonObject, extractor: Extractor): NormalizedEntry | undefined {
  if (extractor.kind === 'keys') {
    const values = valuesUnderKeys(record, extractor.keys);
    return values.length === 0 ? undefined : { values: Object.freeze(values), function: null };
  }
  if (extractor.condition !== undefined && !conditionHolds(record, extractor.condition)) return undefined;
  const found = findValue(record, extractor.path);
  if (found === undefined) return undefined;
  // StreamAlert keeps a list as it is and turns anything else into text (str()).
  const values = Array.isArray(found) ? [...found] : [pythonStr(found)];
  return { values: Object.freeze(values), function: extractor.function, ...(!extractor.sendToArtifacts && { send_to_artifacts: false as const }) };
}

/**
 * The value at a path of keys, or undefined where the path ends or meets an empty value
 * (StreamAlert stops at any falsy value: null, '', 0, false, {} and [] are "not found").
 */
function findValue(record: JsonObject, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
    if (isEmpty(value)) return undefined;
  }
  return path.length === 0 ? undefined : value;
}

/** Python's truthiness, which StreamAlert's normalizer tests values with. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

/** `str(value)` as StreamAlert applies it, except that objects become JSON rather than Python's repr. */
function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** StreamAlert's condition: the value at the path, found and as lower-case text, compared with the operand as written. */
function conditionHolds(record: JsonObject, condition: NormalizationCondition): boolean {
  const found = findValue(record, condition.path);
  if (found === undefined) return false;
  const value = pythonStr(found).toLowerCase();
  const { operand } = condition;
  switch (condition.operator) {
    case 'is':
      return value === operand;
    case 'is_not':
      return value !== operand;
    case 'in':
      return typeof operand === 'string' ? operand.includes(value) : operand.includes(value);
    case 'not_in':
      return typeof operand === 'string' ? !operand.includes(value) : !operand.includes(value);
    case 'contains':
      return value.includes(operand as string);
    case 'not_contains':
      return !value.includes(operand as string);
  }
}

/**
 * v1: the values of every key named in `keys`, in nested objects at any depth (not inside lists,
 * as StreamAlert 3.0); a list under such a key gives its items. Without null and '', each value
 * once, ordered by its text, as StreamAlert returns them.
 */
function valuesUnderKeys(record: JsonObject, keys: ReadonlySet<string>): unknown[] {
  // A Set tells 1 from '1' and true from 'True', as Python's set does; objects under such a key are kept each.
  const found = new Set<unknown>();
  const walk = (object: JsonObject) => {
    for (const key in object) {
      const value = object[key];
      if (isObject(value)) walk(value);
      else if (keys.has(key)) {
        if (Array.isArray(value)) for (const item of value) add(found, item);
        else add(found, value);
      }
    }
  };
  walk(record);
  const values = [...found];
  return values.length > 1 ? values.sort((a, b) => compareText(pythonStr(a), pythonStr(b))) : values;
}

function add(found: Set<unknown>, value: unknown): void {
  if (value !== null && value !== undefined && value !== '') found.add(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
