import { ConfigError } from '../config/errors.ts';
import type { Project } from '../config/project.ts';

export type AwsSecretsBackend = 'aws-s3-kms' | 'aws-ssm';

/**
 * The project's AWS credentials backend, or a ConfigError when its configuration cannot run on
 * Lambda: the embedded SQLite store and the local key file are files on this machine.
 */
export function deployableSecretsBackend(project: Project): AwsSecretsBackend {
  const { store, secrets } = project.global;
  if (store.backend !== 'dynamodb') {
    throw new ConfigError(`conf/global.json: store.backend is '${store.backend}', a file on this machine that Lambda functions cannot share; set "store": {"backend": "dynamodb"} to deploy (docs/aws.md)`);
  }
  if (secrets.backend === 'aws-s3-kms' || secrets.backend === 'aws-ssm') return secrets.backend;
  throw new ConfigError(
    `conf/global.json: secrets.backend is '${secrets.backend}', a key file on this machine that Lambda functions cannot read; set "secrets": {"backend": "aws-ssm"} (or "aws-s3-kms") and store the outputs' credentials again to deploy (docs/aws.md)`,
  );
}
