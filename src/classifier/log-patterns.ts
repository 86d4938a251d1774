import { ENVELOPE_KEY, isPlainObject } from './record.ts';

/**
 * configuration.log_patterns: field -> shell-style patterns (`*`, `?`, `[abc]`, `[!abc]`, as
 * Python's fnmatch), one of which the field's value must match. A nested object checks nested
 * fields; the key `streamalert:envelope_keys` checks the envelope.
 */
export type LogPatterns = readonly PatternCheck[];

type PatternCheck =
  | { readonly field: string; readonly patterns: readonly string[]; readonly regexes: readonly RegExp[] }
  | { readonly field: string; readonly nested: LogPatterns };

/** Compiles a log_patterns object; throws an Error naming the field whose patterns are malformed. */
export function compileLogPatterns(raw: unknown): LogPatterns {
  if (!isPlainObject(raw)) throw new Error('expected an object of field names to patterns');
  return Object.entries(raw).map(([field, value]): PatternCheck => {
    if (isPlainObject(value)) return { field, nested: compileLogPatterns(value) };
    const patterns = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string')) {
      throw new Error(`${field}: expected a pattern or a list of patterns, e.g. ["*bad.log.type*"]`);
    }
    return { field, patterns, regexes: patterns.map(globToRegExp) };
  });
}

/**
 * Why `record` does not match the patterns, or undefined when it does.
 *
 * @example
 *   logPatternMismatch(compileLogPatterns({ type: ['*bad*'] }), { type: 'good' }, undefined)
 *   // "log_patterns: type 'good' matches none of *bad*"
 */
export function logPatternMismatch(patterns: LogPatterns, record: Record<string, unknown>, envelope: Record<string, unknown> | undefined): string | undefined {
  for (const check of patterns) {
    const scope = check.field === ENVELOPE_KEY ? envelope : undefined;
    if ('nested' in check) {
      const target = scope ?? record[check.field];
      if (!isPlainObject(target)) return `log_patterns: ${check.field} is not an object`;
      const nested = logPatternMismatch(check.nested, target, envelope);
      if (nested) return nested;
      continue;
    }
    if (!(check.field in record)) return `log_patterns: ${check.field} is missing`;
    const value = String(record[check.field]);
    if (!check.regexes.some((regex) => regex.test(value))) {
      return `log_patterns: ${check.field} '${value}' matches none of ${check.patterns.join(', ')}`;
    }
  }
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, end);
      const negate = set.startsWith('!');
      if (negate) set = set.slice(1);
      source += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
