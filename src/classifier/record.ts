/** The key a record's envelope (configuration.envelope_keys) is stored under, as in StreamAlert. */
export const ENVELOPE_KEY = 'streamalert:envelope_keys';

/** True for a JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of a JSON value (objects, arrays, scalars), several times faster than
 * structuredClone on the small objects rules and publishers work with.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  return copy as T;
}
