import { classifyAwsError } from '../aws/classify.ts';
import { scrub } from '../outputs/http/redact.ts';
import {
  AwsAccessDeniedError,
  CredentialsError,
  KmsAccessDeniedError,
  KmsKeyMissingError,
  MissingSecretError,
  SecretsBackendError,
  SecretsBucketMissingError,
  TamperedSecretError,
  whose,
} from './errors.ts';
import type { CredentialKey } from './store.ts';

/** Which call failed, for choosing the error and wording its message. */
export interface AwsCallContext {
  /** Undefined for calls about every secret (list). */
  readonly key: CredentialKey | undefined;
  readonly origin: 'kms' | 's3' | 'ssm';
  readonly action: 'store' | 'load' | 'rotate' | 'delete' | 'list';
  /** What was addressed: "S3 object s3://bucket/slack/x", "SSM parameter /p/...". */
  readonly resource: string;
  readonly alias: string;
  readonly bucket?: string;
  /** Plain values being stored, scrubbed from AWS's message in case it quotes its input. */
  readonly secrets?: readonly string[];
}

interface AwsErrorShape {
  name?: string;
  message?: string;
}

/**
 * Turns an AWS SDK error from a credentials call into the matching CredentialsError. The raw
 * error is kept as `cause` only when no plaintext was sent, so a secret can never ride along.
 *
 * @example
 *   catch (error) { throw awsCredentialsError(error, { key, origin: 'kms', action: 'load', resource, alias }); }
 */
export function awsCredentialsError(error: unknown, call: AwsCallContext): CredentialsError {
  if (error instanceof CredentialsError) return error;
  const shape = (error ?? {}) as AwsErrorShape;
  const name = shape.name ?? 'UnknownError';
  const detail = scrub(`${name}: ${shape.message ?? 'no message'}`, call.secrets ?? []);
  const options = call.secrets?.length ? undefined : { cause: error };
  const { key } = call;

  switch (name) {
    case 'NoSuchBucket':
      return new SecretsBucketMissingError(key, call.bucket ?? call.resource, call.action === 'store' ? 'store' : 'load', options);
    case 'NoSuchKey':
    case 'ParameterNotFound':
      if (key) return new MissingSecretError(key, call.resource, options);
      break;
    case 'InvalidCiphertextException':
      if (!key) break;
      return new TamperedSecretError(
        key,
        `KMS could not decrypt ${call.resource} with the encryption context of this output ` +
          `(service=${key.service}, descriptor=${key.descriptor}): it was modified, or copied from another output`,
        options,
      );
    case 'NotFoundException':
    case 'InvalidKeyId':
      return new KmsKeyMissingError(key, call.alias, options);
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'KMSAccessDeniedException':
      // SSM reports a KMS refusal as its own AccessDeniedException; its message names KMS.
      return call.origin === 'kms' || /kms/i.test(detail)
        ? new KmsAccessDeniedError(key, call.alias, detail, options)
        : new AwsAccessDeniedError(key, call.resource, detail, options);
  }
  const classified = classifyAwsError(error, call.resource);
  return new SecretsBackendError(
    `Could not ${call.action} ${whose(key)}: ${scrub(classified.message, call.secrets ?? [])}` +
      (classified.kind === 'retry' ? '; this is usually temporary, try again' : ''),
    classified.kind === 'retry',
    options,
  );
}
