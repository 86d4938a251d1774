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
  /**
   * Re-encrypts every stored secret under the current key (a new master key for local, the
   * key behind the KMS alias for AWS), one secret at a time and atomically per secret, so a
   * rotation stopped anywhere leaves every secret readable. Secrets that fail are reported,
   * not thrown; the rest are still rotated.
   */
  rotate(options?: RotateOptions): Promise<RotationReport>;
  /** Releases network clients, if any. */
  close?(): void;
}

export interface RotateOptions {
  /** Called after each secret is re-encrypted, e.g. to print progress. */
  onRotated?: (key: CredentialKey) => void;
}

export interface RotationReport {
  /** What the secrets are now encrypted under, for the user: "master key mk-…", "KMS key alias/…". */
  readonly target: string;
  readonly rotated: readonly CredentialKey[];
  /** Secrets left as they were; each error names the output and the fix. */
  readonly failed: readonly { readonly key: CredentialKey; readonly error: Error }[];
  /** Something the user must still do, e.g. drop an old key from STREAMALERT_MASTER_KEY. */
  readonly followUp?: string;
}

/**
 * Rotates each key in turn with `rotateOne`, the loop every backend shares: a failure is
 * recorded against its key and the rest go on.
 */
export async function rotateEach(
  keys: readonly CredentialKey[],
  rotateOne: (key: CredentialKey) => Promise<void> | void,
  options: RotateOptions,
): Promise<Pick<RotationReport, 'rotated' | 'failed'>> {
  const rotated: CredentialKey[] = [];
  const failed: { key: CredentialKey; error: Error }[] = [];
  for (const key of keys) {
    try {
      await rotateOne(key);
    } catch (error) {
      failed.push({ key, error: error as Error });
      continue;
    }
    rotated.push(key);
    options.onRotated?.(key);
  }
  return { rotated, failed };
}

/** `service/descriptor` (an S3 key, the tail of an SSM name) as a key, or undefined. */
export function credentialKeyFromPath(path: string): CredentialKey | undefined {
  const slash = path.indexOf('/');
  return slash > 0 ? { service: path.slice(0, slash), descriptor: path.slice(slash + 1) } : undefined;
}
