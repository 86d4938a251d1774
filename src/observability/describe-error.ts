import { inspect, types } from 'node:util';

/** Longest description: a rule that throws a megabyte string must not flood the log. */
const MAX_CHARS = 1_000;

/** Previews never run the value's own code: no custom inspect, no getters (Proxies show their target). */
const PREVIEW = { depth: 2, breakLength: Infinity, compact: true, maxArrayLength: 10, maxStringLength: 200, customInspect: false, getters: false } as const;

/**
 * Describes anything code can throw, on one line and without ever throwing itself: an Error as
 * `Name: message`, any other value (undefined, 42, an object with no prototype, a Proxy) by a
 * preview and its kind. User code (rules, publishers, output modules) can throw anything.
 *
 * @example
 *   describeError(new TypeError('x is null'))  // 'TypeError: x is null'
 *   describeError(42)                          // '42 (a number) was thrown, not an Error'
 */
export function describeError(thrown: unknown): string {
  try {
    if (isError(thrown)) return clip(`${text(thrown, 'name') || 'Error'}: ${text(thrown, 'message')}`);
    return clip(`${describeValue(thrown)} was thrown, not an Error`);
  } catch {
    return 'a value that cannot be described was thrown';
  }
}

/**
 * A value as a one-line preview and its kind, never throwing: for messages about what user code
 * returned.
 *
 * @example
 *   describeValue('false')    // "'false' (a string)"
 *   describeValue(undefined)  // 'undefined'
 */
export function describeValue(value: unknown): string {
  try {
    if (value === undefined || value === null) return String(value);
    return clip(`${inspect(value, PREVIEW)} (${kindOf(value)})`);
  } catch {
    return 'a value that cannot be described';
  }
}

function isError(value: unknown): value is Error {
  if (types.isNativeError(value)) return true;
  try {
    return value instanceof Error;
  } catch {
    return false; // a Proxy whose getPrototypeOf throws
  }
}

/** An Error's `name` or `message` as text, even when it is a getter that throws or not a string. */
function text(error: Error, key: 'name' | 'message'): string {
  try {
    const value: unknown = error[key];
    return typeof value === 'string' ? value : describeValue(value);
  } catch {
    return `(its ${key} cannot be read)`;
  }
}

function kindOf(value: unknown): string {
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (types.isProxy(value)) return 'a Proxy';
  if (types.isPromise(value)) return 'a Promise';
  if (Array.isArray(value)) return 'an array';
  return Object.getPrototypeOf(value) === null ? 'an object with no prototype' : 'an object';
}

/** One line (compiler messages span several), at most MAX_CHARS. */
function clip(description: string): string {
  const line = description.replace(/\s*\n\s*/g, ' ');
  return line.length > MAX_CHARS ? `${line.slice(0, MAX_CHARS - 1)}…` : line;
}
