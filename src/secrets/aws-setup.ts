import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { SecretsAwsClients } from './aws-clients.ts';
import { awsCredentialsError } from './aws-errors.ts';
import { awsSecretsNames } from './aws-names.ts';

/**
 * Creates what an AWS credentials backend needs, once per account and region, and leaves
 * alone what exists: the KMS key behind `alias/<prefix>_streamalert_secrets` (with KMS's
 * yearly automatic rotation on) and, for aws-s3-kms, the private, encrypted secrets bucket.
 * Returns one line per resource saying what was done. This is the fix the missing-bucket and
 * missing-key errors point to (the seed's `manage.py terraform build`).
 *
 * @example
 *   for (const line of await setupAwsSecrets('aws-s3-kms', 'acme', clients)) console.log(line);
 */
export async function setupAwsSecrets(backend: 'aws-s3-kms' | 'aws-ssm', prefix: string, clients: SecretsAwsClients): Promise<string[]> {
  const { alias, bucket } = awsSecretsNames(prefix);
  const lines = [await ensureKey(alias, prefix, clients)];
  if (backend === 'aws-s3-kms') lines.push(await ensureBucket(bucket, clients));
  return lines;
}

async function ensureKey(alias: string, prefix: string, clients: SecretsAwsClients): Promise<string> {
  const kms = clients.kms();
  const call = { key: undefined, origin: 'kms', action: 'store', resource: `KMS key ${alias}`, alias } as const;
  try {
    await kms.send(new DescribeKeyCommand({ KeyId: alias }));
    return `KMS key ${alias}: exists`;
  } catch (error) {
    if ((error as { name?: string }).name !== 'NotFoundException') throw awsCredentialsError(error, call);
  }
  try {
    const created = await kms.send(new CreateKeyCommand({ Description: `StreamAlert output credentials (${prefix})` }));
    const keyId = created.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    return `KMS key ${alias}: created (${keyId}, automatic rotation on)`;
  } catch (error) {
    throw awsCredentialsError(error, call);
  }
}

async function ensureBucket(bucket: string, clients: SecretsAwsClients): Promise<string> {
  const s3 = await clients.s3();
  const call = { key: undefined, origin: 's3', action: 'store', resource: `S3 bucket ${bucket}`, alias: '', bucket } as const;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return `S3 bucket ${bucket}: exists`;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'NotFound' && name !== 'NoSuchBucket') throw awsCredentialsError(error, call);
  }
  try {
    // us-east-1 is the one region that rejects an explicit LocationConstraint.
    const location = clients.region === 'us-east-1' ? undefined : { LocationConstraint: clients.region as BucketLocationConstraint };
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    );
    return `S3 bucket ${bucket}: created (private, encrypted at rest)`;
  } catch (error) {
    throw awsCredentialsError(error, call);
  }
}
