import { TamperedSecretError } from './errors.ts';
import { Secret } from './secret.ts';
import type { CredentialKey } from './store.ts';

/**
 * Turns decrypted plaintext (a JSON object of property name -> value) into Secrets, so the
 * values redact themselves from here on. Anything else means the stored data is not ours.
 *
 * @example
 *   toSecrets(key, Buffer.from('{"url":"https://hooks.slack.com/..."}')).url.reveal()
 */
export function toSecrets(key: CredentialKey, plaintext: Uint8Array | string): Record<string, Secret> {
  let parsed: unknown;
  try {
    // TextDecoder reads in place: no second copy of the plaintext bytes is left behind unzeroed.
    parsed = JSON.parse(typeof plaintext === 'string' ? plaintext : new TextDecoder().decode(plaintext));
  } catch {
    // No cause: a JSON syntax error quotes the text around the fault, which is the secret.
    throw new TamperedSecretError(key, 'the decrypted value is not a JSON object of credentials');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TamperedSecretError(key, 'the decrypted value is not a JSON object of credentials');
  }
  const secrets: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new TamperedSecretError(key, `the decrypted value of '${name}' is not a string`);
    secrets[name] = new Secret(value);
  }
  return secrets;
}
