/**
 * How deeply a record may nest objects and lists. The reader rejects deeper records (and the
 * classifier deeper embedded JSON), so every walk over a record further down the data path
 * (classifier, rules, publishers, outputs' renderers, JSON.stringify in the alert store)
 * recurses at most this deep plus the few levels an alert document adds: no record can drive
 * one to a stack overflow. Real logs nest less than 20 levels.
 */
export const MAX_RECORD_DEPTH = 64;

/**
 * Whether `value` nests objects or lists more than `levels` deep (a scalar is 0 deep, `{}` 1).
 * It stops as soon as it knows, so it never recurses more than `levels + 1` calls deep.
 *
 * @example
 *   isDeeperThan({ a: [{}] }, 2)  // true: three levels
 */
export function isDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (isContainer(value[i]) && isDeeperThan(value[i], levels - 1)) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (isContainer(item) && isDeeperThan(item, levels - 1)) return true;
  }
  return false;
}

/** Most values are scalars: settling them here saves a call each. */
function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
