import { pythonStr } from '../python/str.ts';
import { isPlainObject } from './record.ts';
import type { FieldType, Fields } from './schema.ts';

/**
 * Fitting a record to a schema, with StreamAlert's type coercion (its parsers.py `_key_check`
 * and `_convert_type`):
 * - keys: exactly the schema's, optional top-level keys may be absent (they get a default,
 *   added by addDefaults after log_patterns are checked, as StreamAlert adds them); a nested
 *   schema checks nested keys the same way, with no optional keys, and an optional key with a
 *   nested schema must be present (StreamAlert checks the absent key as `{}`, which fails).
 * - `{}` lets any value through, unconverted (StreamAlert's nested check of an empty schema
 *   passes everything); `[]` takes a list.
 * - types: `"5"` fits an integer (becomes 5), `5.7` becomes 5, `"1.5"` fits a float,
 *   `"true"` (any case) is true for a boolean and any other value false, a string field turns
 *   other values into text as Python's str() writes them (`True`, `{'a': 1}`).
 * - empty values (null, "", 0, false, [], {}) fit any scalar or `[]` type and are left as
 *   they are (StreamAlert skips "falsy" values); a nested schema still needs its keys.
 *
 * Changes are collected as writes and applied only when the whole record fits, so a schema
 * that fails half-way never leaves the record half-converted for the next schema.
 */
export type Writes = unknown[];

/** Queues `target[key] = value`; kept flat (three slots per write) so the common path allocates nothing. */
function queue(writes: Writes, target: Record<string, unknown>, key: string, value: unknown): void {
  writes.push(target, key, value);
}

/** Applies queued writes. */
export function applyWrites(writes: Writes): void {
  for (let i = 0; i < writes.length; i += 3) (writes[i] as Record<string, unknown>)[writes[i + 1] as string] = writes[i + 2];
}

/** Why a value does not fit; `problems` counts missing, unexpected and mistyped keys (for "closest schema"). */
export interface Mismatch {
  readonly reason: string;
  readonly problems: number;
}

/** What the fast path returns: no details computed. Re-run with `explain` to get them. */
export const NO_FIT: Mismatch = { reason: 'does not fit', problems: Number.POSITIVE_INFINITY };

const MAX_LISTED_KEYS = 5;

/**
 * Checks `value` against `fields`, pushing the coercions and defaults it needs onto `writes`.
 * Returns undefined when it fits, else NO_FIT (or, with `explain`, a Mismatch saying why).
 */
export function fitObject(value: unknown, fields: Fields, writes: Writes, path: string, explain: boolean): Mismatch | undefined {
  if (!isPlainObject(value)) {
    return explain ? { reason: `${path ? `${path.slice(0, -1)}: ` : ''}expected an object, got ${describe(value)}`, problems: fields.byName.size || 1 } : NO_FIT;
  }
  const { byName } = fields;
  let requiredPresent = 0;
  let unexpected: string[] | undefined;
  let typeProblems: Mismatch[] | undefined;
  for (const key in value) {
    const field = byName.get(key);
    if (field === undefined) {
      if (!explain) return NO_FIT;
      (unexpected ??= []).push(key);
      continue;
    }
    if (!field.optional) requiredPresent++;
    const item = value[key];
    // Most values already have their declared type: settle those without a call.
    const kind = field.type.kind;
    if (kind === 'string' ? typeof item === 'string' : kind === 'object' || (kind === 'boolean' && typeof item === 'boolean')) continue;
    const problem = fitValue(value, key, item, field.type, writes, path, explain);
    if (problem !== undefined) {
      if (!explain) return NO_FIT;
      (typeProblems ??= []).push(problem);
    }
  }
  const missing =
    requiredPresent === fields.requiredCount ? undefined : [...byName].filter(([key, field]) => !field.optional && !(key in value)).map(([key]) => key);
  if (missing && !explain) return NO_FIT;
  const absentNested = fields.optional.filter(([key, type]) => type.kind === 'nested' && !(key in value));
  if (absentNested.length > 0 && !explain) return NO_FIT;
  if (absentNested.length > 0) {
    const keys = absentNested.map(([key]) => key);
    (typeProblems ??= []).push({ reason: `${path}${listKeys(keys)} missing: an optional key with a nested schema must be present (StreamAlert checks an absent one as {})`, problems: keys.length });
  }
  if (unexpected || missing || typeProblems) return explainMismatch(path, missing, unexpected, typeProblems);
  return undefined;
}

/** Adds each absent optional key with its default, as StreamAlert's `_add_optional_keys`. */
export function addDefaults(record: Record<string, unknown>, fields: Fields): void {
  const optional = fields.optional;
  for (let i = 0; i < optional.length; i++) {
    const [key, type] = optional[i]!;
    if (!(key in record)) record[key] = defaultValue(type);
  }
}

/**
 * The envelope of a payload (configuration.envelope_keys): each declared key that is present,
 * converted; absent optional ones get their default. Unlike records, the payload may have other
 * keys (the records themselves, for one).
 */
export function fitEnvelope(payload: unknown, fields: Fields, explain: boolean): { envelope: Record<string, unknown> } | Mismatch {
  if (!isPlainObject(payload)) return explain ? { reason: `expected an object, got ${describe(payload)}`, problems: fields.byName.size || 1 } : NO_FIT;
  const envelope: Record<string, unknown> = {};
  const writes: Writes = [];
  let missing: string[] | undefined;
  let typeProblems: Mismatch[] | undefined;
  for (const [key, field] of fields.byName) {
    if (key in payload) {
      envelope[key] = payload[key];
      const problem = fitValue(envelope, key, payload[key], field.type, writes, '', explain);
      if (problem === undefined) continue;
      if (!explain) return NO_FIT;
      (typeProblems ??= []).push(problem);
    } else if (field.optional && field.type.kind !== 'nested') {
      envelope[key] = defaultValue(field.type);
    } else {
      if (!explain) return NO_FIT;
      (missing ??= []).push(key);
    }
  }
  if (missing || typeProblems) return explainMismatch('', missing, undefined, typeProblems);
  applyWrites(writes);
  return { envelope };
}

function fitValue(
  parent: Record<string, unknown>,
  key: string,
  value: unknown,
  type: FieldType,
  writes: Writes,
  path: string,
  explain: boolean,
): Mismatch | undefined {
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string' || isEmpty(value)) return undefined;
      queue(writes, parent, key, pythonStr(value));
      return undefined;
    case 'integer': {
      if ((typeof value === 'number' && Number.isInteger(value)) || isEmpty(value)) return undefined;
      const number = toInteger(value);
      if (number === undefined) return typeMismatch(path, key, 'an integer', value, explain);
      queue(writes, parent, key, number);
      return undefined;
    }
    case 'float': {
      if (typeof value === 'number' || isEmpty(value)) return undefined;
      const number = toFloat(value);
      if (number === undefined) return typeMismatch(path, key, 'a float', value, explain);
      queue(writes, parent, key, number);
      return undefined;
    }
    case 'boolean':
      if (value === true || isEmpty(value)) return undefined;
      queue(writes, parent, key, typeof value === 'string' && value.toLowerCase() === 'true');
      return undefined;
    case 'object':
      return undefined;
    case 'list':
      return Array.isArray(value) || isEmpty(value) ? undefined : typeMismatch(path, key, 'a list', value, explain);
    case 'nested':
      return fitObject(value, type.fields, writes, `${path}${key}.`, explain);
  }
}

/** The value an absent optional key gets, as StreamAlert's `default_optional_values`. */
export function defaultValue(type: FieldType): unknown {
  switch (type.kind) {
    case 'string':
      return '';
    case 'integer':
    case 'float':
      return 0;
    case 'boolean':
      return false;
    case 'list':
      return [];
    case 'object':
    case 'nested':
      return {};
  }
}

/** Python's falsy values (None, False, 0, '', [], {}), which StreamAlert leaves unconverted. */
export function isPythonFalsy(value: unknown): boolean {
  return isEmpty(value);
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

/** Python's int(): whole-number text, numbers truncated toward zero, true as 1. */
function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (value === true) return 1;
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  return undefined;
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_FLOAT = new RegExp(String.raw`^\s*[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?\s*$`);

/** Python's float(): decimal or exponent text (with single underscores between digits), inf and nan, true as 1. */
function toFloat(value: unknown): number | undefined {
  if (value === true) return 1;
  if (typeof value !== 'string') return undefined;
  if (PYTHON_FLOAT.test(value)) return Number(value.replace(/_/g, ''));
  const special = /^\s*([+-]?)(inf|infinity|nan)\s*$/i.exec(value);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function typeMismatch(path: string, key: string, expected: string, value: unknown, explain: boolean): Mismatch {
  return explain ? { reason: `${path}${key}: expected ${expected}, got ${describe(value)}`, problems: 1 } : NO_FIT;
}

function explainMismatch(path: string, missing: string[] | undefined, unexpected: string[] | undefined, typeProblems: Mismatch[] | undefined): Mismatch {
  const parts: string[] = [];
  const where = path ? `${path.slice(0, -1)}: ` : '';
  if (missing) parts.push(`${where}missing ${listKeys(missing)}`);
  if (unexpected) parts.push(`${where}unexpected ${listKeys(unexpected)}`);
  if (typeProblems) parts.push(...typeProblems.map((problem) => problem.reason));
  const problems = (missing?.length ?? 0) + (unexpected?.length ?? 0) + (typeProblems ?? []).reduce((sum, p) => sum + p.problems, 0);
  return { reason: parts.join('; '), problems };
}

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, MAX_LISTED_KEYS).map((key) => `'${key}'`);
  const more = keys.length > MAX_LISTED_KEYS ? ` and ${keys.length - MAX_LISTED_KEYS} more` : '';
  return `${keys.length === 1 ? 'key' : 'keys'} ${shown.join(', ')}${more}`;
}

/** A short description of a value for messages: its type, and the value itself when short. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${typeof value === 'string' ? 'a string' : `a ${typeof value}`} ${shown}`;
}
