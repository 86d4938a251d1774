/**
 * Freezes a record and everything in it, so that no rule can change what the next rule, its
 * own alert or another rule's alert holds. Innermost first: a freeze cut short (by the
 * watchdog) leaves the record unfrozen at the top, and the next call finishes it.
 *
 * @example
 *   deepFreeze(record);
 *   rule.fn(record, context);  // `rec.result = 'x'` throws a TypeError in the rule (modules are strict)
 */
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  Object.freeze(value);
}

/** V8's messages for a write to a frozen object. */
const READ_ONLY_WRITE = /^Cannot (assign to read only|add|delete|define) property/;

/**
 * True for the TypeError a rule gets when it changes its (frozen) record, so the report can say
 * how to do what it meant.
 *
 * @example
 *   isReadOnlyWrite(new TypeError("Cannot assign to read only property 'result' of object '#<Object>'"))  // true
 */
export function isReadOnlyWrite(error: unknown): boolean {
  try {
    return error instanceof TypeError && READ_ONLY_WRITE.test(error.message);
  } catch {
    return false;
  }
}
