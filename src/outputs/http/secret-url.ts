import { property, type OutputProperty } from '../property.ts';

/**
 * An endpoint URL that is itself the credential (a webhook whose path or query holds its token):
 * secret, an http(s) URL, and only spaces restricted, since URLs contain colons.
 *
 * @example
 *   secretUrlProperty('the Google Chat webhook url, including its key and token')
 */
export function secretUrlProperty(description: string, options: { check?: (value: string) => string | undefined } = {}): OutputProperty {
  return property(description, { secret: true, url: true, inputRestrictions: [' '], ...options });
}
