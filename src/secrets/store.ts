import type { Secret } from './secret.ts';

/** Names one configured output's credentials. */
export interface CredentialKey {
  readonly service: string;
  readonly descriptor: string;
}

/**
 * Where output credentials live, encrypted. The CLI stores through it; the dispatching process
 * loads through it, decrypting only in memory. Backends: local (embedded default),
 * aws-s3-kms (StreamAlert's), aws-ssm (StreamAlert 3's); chosen in conf/global.json.
 *
 * Values are the properties whose `credRequirement` is true, by property name.
 */
export interface CredentialStore {
  /** Encrypts and stores the values, replacing any earlier ones for the key. */
  put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void>;
  /** Loads and decrypts; throws a CredentialsError naming service:descriptor and the fix. */
  get(key: CredentialKey): Promise<Record<string, Secret>>;
  /** Removes the stored values; removing what is not there is not an error. */
  delete(key: CredentialKey): Promise<void>;
  /** Every key with stored values. */
  list(): Promise<CredentialKey[]>;
}
