import { isPlainObject } from '../../classifier/record.ts';

/**
 * StreamAlert's test-event helpers: each returns the text that replaces `<helper:NAME>`.
 * `last_hour` is a Unix time (seconds) a minute ago, so a rule using the `last_hour` rule
 * helper sees an event of the last hour.
 */
const HELPERS: Readonly<Record<string, () => string>> = {
  last_hour: () => String(Math.floor(Date.now() / 1000) - 60),
};

const HELPER = /<helper:(\w+)>/g;

/**
 * The event with every `<helper:NAME>` in its text values replaced, as StreamAlert does it:
 * in the values of objects at any depth, not in lists (StreamAlert does not look inside lists),
 * and wherever the text holds it (`"at <helper:last_hour>"` works). An unknown helper is a problem.
 *
 * @example
 *   applyHelpers({ data: { time: '<helper:last_hour>' } })  // { value: { data: { time: '1715680304' } } }
 */
export function applyHelpers(event: Record<string, unknown>): { value: Record<string, unknown> } | string {
  const unknown = new Set<string>();
  const replace = (text: string) =>
    text.replace(HELPER, (match, name: string) => {
      const helper = Object.hasOwn(HELPERS, name) ? HELPERS[name] : undefined;
      if (!helper) unknown.add(name);
      return helper ? helper() : match;
    });
  const walk = (object: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(object).map(([key, value]) => [key, typeof value === 'string' ? replace(value) : isPlainObject(value) ? walk(value) : value]));
  const value = walk(event);
  if (unknown.size > 0) return `unknown helper(s) ${[...unknown].map((name) => `'<helper:${name}>'`).join(', ')} (known: ${Object.keys(HELPERS).map((name) => `<helper:${name}>`).join(', ')})`;
  return { value };
}
