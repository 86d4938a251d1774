/**
 * Rows of two columns, the second aligned one gap past the longest first: what to type, and
 * what it does. Aligned whatever the first column holds (a project's path, for one).
 *
 * @example
 *   columns([['streamalert rules test', 'run the test events'], ['streamalert output services', 'every service']])
 *   // '  streamalert rules test       run the test events\n  streamalert output services  every service'
 */
export function columns(rows: readonly (readonly [string, string])[], indent = '  ', gap = 2): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + gap;
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}${right}`).join('\n');
}
