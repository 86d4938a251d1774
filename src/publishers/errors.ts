import { ConfigError } from '../config/errors.ts';

/** A publisher that cannot be registered or found, or a rule's `publishers` option that is malformed. */
export class PublisherError extends ConfigError {
  override name = 'PublisherError';
}
