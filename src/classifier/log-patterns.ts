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
    if (field === ENVELOPE_KEY) throw new Error(`${field}: expected an object of envelope keys to patterns, e.g. {"messageType": ["DATA_MESSAGE"]}`);
    const patterns = typeof value === 'string' ? [value] : value;
    // An empty list is accepted as StreamAlert accepts it: it matches nothing.
    if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string')) {
      throw new Error(`${field}: expected a pattern or a list of patterns, e.g. ["*bad.log.type*"]`);
    }
    return { field, patterns, regexes: patterns.map(globToRegExp) };
  });
}

/**
 * Why `record` does not match the patterns, or undefined when it does. The walk is
 * StreamAlert's `_matches_log_patterns`, quirks included: the first nested or envelope entry
 * decides alone (entries after it are not checked, and the verdict of the plain entries before
 * it is dropped), and a nested entry does not see the envelope.
 *
 * @example
 *   logPatternMismatch(compileLogPatterns({ type: ['*bad*'] }), { type: 'good' }, undefined)
 *   // "log_patterns: type 'good' matches none of *bad*"
 */
export function logPatternMismatch(patterns: LogPatterns, record: unknown, envelope: Record<string, unknown> | undefined): string | undefined {
  const why = mismatchOf(patterns, record, envelope, '');
  return why === undefined ? undefined : `log_patterns: ${why}`;
}

function mismatchOf(patterns: LogPatterns, record: unknown, envelope: Record<string, unknown> | undefined, path: string): string | undefined {
  let mismatch: string | undefined;
  for (const check of patterns) {
    if ('nested' in check) {
      if (check.field === ENVELOPE_KEY) return mismatchOf(check.nested, envelope, undefined, `${ENVELOPE_KEY}.`);
      return mismatchOf(check.nested, isPlainObject(record) ? record[check.field] : undefined, undefined, `${path}${check.field}.`);
    }
    if (!isPlainObject(record) || !(check.field in record)) return `${path}${check.field} is missing`;
    mismatch ??= valueMismatch(check, record[check.field], `${path}${check.field}`);
  }
  return mismatch;
}

function valueMismatch(check: { patterns: readonly string[]; regexes: readonly RegExp[] }, value: unknown, name: string): string | undefined {
  // fnmatch takes text only: StreamAlert's classifier fails on any other value.
  if (typeof value !== 'string') return `${name} is not text (${value === null ? 'null' : typeof value}), so no pattern can match it`;
  if (check.regexes.some((regex) => regex.test(value))) return undefined;
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `${name} '${shown}' matches none of ${check.patterns.join(', ') || '(an empty list)'}`;
}

/** Python's fnmatch.translate: `*`, `?`, `[...]` and `[!...]`, everything else literal, the whole value. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      // As fnmatch: a `]` right after `[` or `[!` belongs to the set.
      let start = i + 1;
      if (pattern[start] === '!') start++;
      if (pattern[start] === ']') start++;
      const end = pattern.indexOf(']', start);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, end);
      const negate = set.startsWith('!');
      if (negate) set = set.slice(1);
      source += `[${negate ? '^' : ''}${set.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${source})$`, 'su');
}
