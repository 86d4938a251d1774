import type { CredentialKey } from './store.ts';

/** `service:descriptor`, the name users know an output by. */
export function outputName(key: CredentialKey): string {
  return `${key.service}:${key.descriptor}`;
}

/** "the credentials of slack:sec-alerts", or "the stored credentials" for calls about all of them (list). */
export function whose(key: CredentialKey | undefined): string {
  return key ? `the credentials of ${outputName(key)}` : 'the stored credentials';
}

/** How to store an output's credentials again: the fix whenever they are lost for good. */
export function reenterHint(key: CredentialKey): string {
  return `streamalert output new --service ${key.service} --descriptor ${key.descriptor} --update`;
}

/**
 * Loading or storing credentials failed. Every subclass names the output (service:descriptor)
 * where there is one, says how to fix it, and never carries a secret value in its message.
 */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
  /** True when trying again later may work (throttling, a network blip): a delivery retries. */
  readonly retryable: boolean = false;
}

/** No credentials are stored for an output that is configured. */
export class MissingSecretError extends CredentialsError {
  override name = 'MissingSecretError';
  constructor(key: CredentialKey, where: string, options?: ErrorOptions) {
    super(`No credentials are stored for ${outputName(key)} (looked in ${where}). Store them with: ${reenterHint(key)}`, options);
  }
}

/**
 * The master key of the local backend is missing, malformed or unsafe to use. Not tied to
 * one output: every local secret needs it.
 */
export class MasterKeyError extends CredentialsError {
  override name = 'MasterKeyError';
}

/** A local ciphertext was sealed under a master key that is not the one (or among those) in use. */
export class WrongMasterKeyError extends CredentialsError {
  override name = 'WrongMasterKeyError';
  constructor(key: CredentialKey, sealedWith: string, available: readonly string[], source: string) {
    super(
      `The credentials of ${outputName(key)} were encrypted under master key ${sealedWith}, but ${source} holds ` +
        `${available.join(', ') || 'no key'}. Use the master key they were stored with (restore the key file from backup, ` +
        `or set STREAMALERT_MASTER_KEY), or store them again: ${reenterHint(key)}`,
    );
  }
}

/**
 * A ciphertext failed authentication or does not parse: it was modified, truncated, or
 * copied from another output (the service/descriptor is bound into it).
 */
export class TamperedSecretError extends CredentialsError {
  override name = 'TamperedSecretError';
  constructor(key: CredentialKey, what: string, options?: ErrorOptions) {
    super(`The stored credentials of ${outputName(key)} cannot be trusted: ${what}. Store them again: ${reenterHint(key)}`, options);
  }
}

/** KMS refused to encrypt or decrypt (key policy, IAM, or a key in another account/region). */
export class KmsAccessDeniedError extends CredentialsError {
  override name = 'KmsAccessDeniedError';
  constructor(key: CredentialKey | undefined, alias: string, detail: string, options?: ErrorOptions) {
    super(
      `KMS denied access while handling ${whose(key)} (key ${alias}): ${detail}. ` +
        `Allow kms:Encrypt, kms:Decrypt and kms:ReEncrypt* on that key for this role in its IAM policy and key policy, ` +
        `and check account.region in conf/global.json`,
      options,
    );
  }
}

/** S3 or SSM refused the call (IAM policy). */
export class AwsAccessDeniedError extends CredentialsError {
  override name = 'AwsAccessDeniedError';
  constructor(key: CredentialKey | undefined, resource: string, detail: string, options?: ErrorOptions) {
    super(
      `AWS denied access to ${resource} while handling ${whose(key)}: ${detail}. ` +
        `Grant this role access to it (see docs/credentials.md, "IAM permissions")`,
      options,
    );
  }
}

/** The KMS alias the AWS backends encrypt under does not exist (yet). */
export class KmsKeyMissingError extends CredentialsError {
  override name = 'KmsKeyMissingError';
  constructor(key: CredentialKey | undefined, alias: string, options?: ErrorOptions) {
    super(
      `The KMS key ${alias} used for ${whose(key)} does not exist in this account and region. ` +
        `Run 'streamalert secrets setup' once to create it, or check account.prefix and account.region in conf/global.json`,
      options,
    );
  }
}

/** The secrets bucket does not exist: the seed's message, followed by the fix. */
export class SecretsBucketMissingError extends CredentialsError {
  override name = 'SecretsBucketMissingError';
  constructor(key: CredentialKey | undefined, bucket: string, action: 'store' | 'load', options?: ErrorOptions) {
    const doing = action === 'store' ? 'sending credentials to S3' : 'loading credentials from S3';
    const forKey = key ? ` for key '${key.service}/${key.descriptor}'` : '';
    super(
      `An error occurred while ${doing}${forKey} in bucket '${bucket}': ` +
        `The specified bucket does not exist. Run 'streamalert secrets setup' once for this account and region: ` +
        `it creates the bucket and the KMS key used for stored credentials`,
      options,
    );
  }
}

/** Any other failure of the backend (network, throttling, a disabled key, bad input). */
export class SecretsBackendError extends CredentialsError {
  override name = 'SecretsBackendError';
  override readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.retryable = retryable;
  }
}
