/**
 * A lookup table that cannot answer: not configured, disabled, not loaded, or failed to load.
 * Thrown from `lookupTable(name).get()` inside a rule, so it is counted and reported as that
 * rule's error on that record, with the message saying the fix.
 */
export class LookupTableError extends Error {
  override name = 'LookupTableError';
}

/** A table's data that cannot be used: too large, not JSON, not an object of keys. The message names the source. */
export class TableDataError extends Error {
  override name = 'TableDataError';
}
