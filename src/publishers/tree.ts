// Walks over a publication's nested objects and lists, breadth first as StreamAlert's
// publishers walk (a queue, not recursion: records can nest deeper than the call stack allows).
import { isPlainObject } from '../classifier/record.ts';
import { NORMALIZATION_KEY } from '../normalization/types.ts';

/**
 * The keys a record's normalized fields are kept under: StreamAlert's (streamalert/shared/
 * normalize.py, `streamalert_normalization`) and our normalizer's, should they differ.
 */
export const NORMALIZATION_KEYS: readonly string[] = [...new Set(['streamalert_normalization', NORMALIZATION_KEY])];

/**
 * Deletes, at any depth, every object key one of `patterns` finds (a search, not a full match),
 * with everything under it. Changes `publication` in place and returns it.
 */
export function deleteKeysMatching<T>(publication: T, patterns: readonly RegExp[]): T {
  const queue: unknown[] = [publication];
  // An index rather than shift(): shift() is linear, and records can be large.
  for (let index = 0; index < queue.length; index++) {
    const next = queue[index];
    if (Array.isArray(next)) for (const item of next) queue.push(item);
    else if (isPlainObject(next)) {
      for (const key of Object.keys(next)) {
        if (patterns.some((pattern) => pattern.test(key))) delete next[key];
        else queue.push(next[key]);
      }
    }
  }
  return publication;
}

/**
 * Every value stored under `key` anywhere in `data`, in breadth-first order; the normalizer's
 * fields are not searched (StreamAlert's `get_keys`, streamalert/shared/utils.py).
 *
 * @example
 *   getKeys({ path: 'A', events: [{ path: 'B' }] }, 'path')  // ['A', 'B']
 */
export function getKeys(data: unknown, key: string): unknown[] {
  const results: unknown[] = [];
  const queue: unknown[] = [data];
  for (let index = 0; index < queue.length; index++) {
    const next = queue[index];
    if (isPlainObject(next)) {
      if (Object.hasOwn(next, key)) results.push(next[key]);
      for (const [name, value] of Object.entries(next)) if (!NORMALIZATION_KEYS.includes(name) && isNonEmptyContainer(value)) queue.push(value);
    } else if (Array.isArray(next)) {
      for (const value of next) if (isNonEmptyContainer(value)) queue.push(value);
    }
  }
  return results;
}

/**
 * Replaces, at any depth, each object value that is a list of scalars with its items' text
 * joined by `delimiter` (StreamAlert's StringifyArrays). Lists inside lists stay lists.
 */
export function stringifyScalarArrays<T>(publication: T, delimiter: string, text: (value: unknown) => string): T {
  const queue: unknown[] = [publication];
  for (let index = 0; index < queue.length; index++) {
    const next = queue[index];
    if (Array.isArray(next)) for (const item of next) queue.push(item);
    else if (isPlainObject(next)) {
      for (const [key, value] of Object.entries(next)) {
        if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) next[key] = value.map(text).join(delimiter);
        else queue.push(value);
      }
    }
  }
  return publication;
}

function isNonEmptyContainer(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isPlainObject(value) && Object.keys(value).length > 0;
}
