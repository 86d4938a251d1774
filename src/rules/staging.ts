import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic.ts';
import { ConfigError } from '../config/errors.ts';

/**
 * The rules staged or promoted by `streamalert rules stage|promote NAME`: the only file those
 * commands write. In conf/, beside the rules' other settings, so that it is committed and
 * deployed with them (.streamalert/ is local state, kept out of git).
 */
export const STAGING_FILE = 'conf/rule_staging.json';

/** Per rule, what `rules stage` (true) or `rules promote` (false) last said, and when. */
export interface StagingState {
  readonly rules: { readonly [rule: string]: { readonly staged: boolean; readonly changed: string } };
}

const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The project's staging state; none recorded when the file is absent. A file that is not one is
 * a ConfigError: which rules are staged decides where alerts go, so it is never guessed.
 *
 * @example
 *   readStagingState(dir).rules.duo_new_login  // { staged: false, changed: '2026-01-05T10:00:00.000Z' }
 */
export function readStagingState(projectDir: string): StagingState {
  const path = join(projectDir, STAGING_FILE);
  if (!existsSync(path)) return { rules: {} };
  const text = readFileSync(path, 'utf8');
  if (text.length > MAX_FILE_BYTES) throw new ConfigError(`${STAGING_FILE} is larger than 1 MiB; it holds one line per rule: fix the file`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${STAGING_FILE} is not valid JSON (${(error as Error).message}); fix the file or delete it (then every rule is staged as its 'staged' option says)`);
  }
  const rules = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { rules?: unknown }).rules : undefined;
  const valid =
    typeof rules === 'object' &&
    rules !== null &&
    !Array.isArray(rules) &&
    Object.values(rules).every((entry) => typeof entry === 'object' && entry !== null && typeof (entry as { staged?: unknown }).staged === 'boolean');
  if (!valid) throw new ConfigError(`${STAGING_FILE}: expected {"rules": {"<rule>": {"staged": true|false, "changed": "<time>"}}}; fix the file or delete it`);
  return { rules: rules as StagingState['rules'] };
}

/** Whether a rule is staged: as `rules stage|promote` last said, else as its `staged` option says. */
export function isStaged(state: StagingState, rule: string, declared: boolean): boolean {
  return Object.hasOwn(state.rules, rule) ? state.rules[rule]!.staged : declared;
}

/**
 * Records that a rule is staged or promoted, keeping the other rules' entries, atomically.
 *
 * @example
 *   recordStaging(dir, 'duo_new_login', false, new Date());  // promoted
 */
export function recordStaging(projectDir: string, rule: string, staged: boolean, now: Date): void {
  const { rules } = readStagingState(projectDir);
  const next = { ...rules, [rule]: { staged, changed: now.toISOString() } };
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  writeFileAtomic(join(projectDir, STAGING_FILE), `${JSON.stringify({ rules: sorted }, null, 2)}\n`);
}
