import { ConfigError } from '../config/errors.ts';

/** A rule file that cannot be loaded, or a rule whose options do not fit the project. The message names the file and the rule. */
export class RuleLoadError extends ConfigError {
  override name = 'RuleLoadError';
}

/**
 * Thrown in place of ending the process when a rule file, rule or publisher calls `process.exit`:
 * `run` must finish with its summary, and `serve` keep serving.
 */
export class RuleExitError extends Error {
  override name = 'RuleExitError';
}
