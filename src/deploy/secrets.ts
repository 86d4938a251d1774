import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Alias, Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AwsSecretsBackend } from './deployable.ts';
import { secretsNames } from './names.ts';

/**
 * Where the outputs' credentials live on AWS, under the names the credential backends use
 * (src/secrets/aws-names.ts): the KMS key behind `alias/<prefix>_streamalert_secrets` and, for
 * aws-s3-kms, the bucket `<prefix>.streamalert.secrets`; for aws-ssm the SecureString parameters
 * under `/<prefix>/streamalert/outputs/` (written by `streamalert output new`, not by the stack).
 * Key, alias and bucket are kept when the stack is destroyed: the CLI finds the key by its alias.
 */
export class Secrets extends Construct {
  readonly key: Key;
  readonly bucket: Bucket | undefined;
  readonly #backend: AwsSecretsBackend;
  readonly #parameterArns: string;

  constructor(scope: Construct, id: string, props: { prefix: string; backend: AwsSecretsBackend }) {
    super(scope, id);
    const names = secretsNames(props.prefix);
    this.#backend = props.backend;
    this.#parameterArns = `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${names.parameterRoot}*`;
    this.key = new Key(this, 'Key', {
      description: `StreamAlert output credentials (${props.prefix})`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new Alias(this, 'Alias', { aliasName: names.alias, targetKey: this.key }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.bucket =
      props.backend === 'aws-s3-kms'
        ? new Bucket(this, 'Bucket', {
            bucketName: names.bucket,
            // The objects are KMS ciphertext already; SSE-S3 as well, as the store writes them (ServerSideEncryption AES256).
            encryption: BucketEncryption.S3_MANAGED,
            versioned: true,
            blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
            removalPolicy: RemovalPolicy.RETAIN,
          })
        : undefined;
  }

  /**
   * Lets `role` read and decrypt every output's credentials, and nothing else: GetObject under the
   * bucket (or GetParameter under the parameter root), and Decrypt in the key's own policy only
   * for ciphertexts whose encryption context is an output's, as the backends encrypt them.
   */
  grantRead(role: IRole): void {
    if (this.bucket) {
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: `DecryptOutputCredentials${role.node.addr.slice(0, 8)}`,
          principals: [role],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            // {service, descriptor}: src/secrets/aws-names.ts encryptionContext.
            'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['service', 'descriptor'] },
            Null: { 'kms:EncryptionContext:service': 'false', 'kms:EncryptionContext:descriptor': 'false' },
          },
        }),
      );
      return;
    }
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.#parameterArns] }));
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: `DecryptOutputParameters${role.node.addr.slice(0, 8)}`,
        principals: [role],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          // SSM encrypts a SecureString with the parameter's ARN as its encryption context.
          StringEquals: { 'kms:ViaService': `ssm.${Aws.REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': this.#parameterArns },
        },
      }),
    );
  }

  get backend(): AwsSecretsBackend {
    return this.#backend;
  }
}
