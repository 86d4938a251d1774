import { ConfigError } from '../config/errors.ts';

/** A rule file that cannot be loaded, or a rule whose options do not fit the project. The message names the file and the rule. */
export class RuleLoadError extends ConfigError {
  override name = 'RuleLoadError';
}
