import { ConfigError } from '../config/errors.ts';

/** A schema file in conf/schemas/ that cannot be used. The message names the file, the log type and the key. */
export class SchemaError extends ConfigError {
  override name = 'SchemaError';
}
