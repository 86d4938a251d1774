import { isPlainObject } from '../classifier/record.ts';

/** JSON with every object's keys sorted: equal values (as Python compares dicts) give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner) ? Object.fromEntries(Object.keys(inner).sort().map((name) => [name, inner[name]])) : inner,
  );
}
