import { join } from 'node:path';
import type { Project } from '../config/project.ts';
import { SecretsAwsClients } from './aws-clients.ts';
import { S3KmsCredentialStore } from './aws-s3-kms.ts';
import { SsmCredentialStore } from './aws-ssm.ts';
import { keySourceFor } from './key-location.ts';
import { LocalCredentialStore } from './local.ts';
import type { CredentialStore } from './store.ts';

export interface CredentialStoreOptions {
  /** Where STREAMALERT_MASTER_KEY, STREAMALERT_KEY_FILE, XDG_CONFIG_HOME and HOME are read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives one-line notices, e.g. that a master key was created. Default: standard error. */
  notice?: (line: string) => void;
  /** Per AWS call. Default 10 s. */
  timeoutMs?: number;
}

/** A project's secrets folder: ciphertext only. */
export function secretsDir(projectDir: string): string {
  return join(projectDir, '.streamalert', 'secrets');
}

/**
 * The credentials backend chosen by `secrets.backend` in conf/global.json: `local` (default),
 * `aws-s3-kms` or `aws-ssm`, the AWS ones named after `account.prefix` in `account.region`.
 * Call `close()` when done, to release AWS connections.
 *
 * @example
 *   const store = createCredentialStore(loadProject(dir));
 *   await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url });
 */
export function createCredentialStore(project: Pick<Project, 'dir' | 'global'>, options: CredentialStoreOptions = {}): CredentialStore {
  const { prefix, region } = project.global.account;
  switch (project.global.secrets.backend) {
    case 'local': {
      const dir = secretsDir(project.dir);
      const notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
      return new LocalCredentialStore({ dir, keys: keySourceFor(project.dir, dir, options.env ?? process.env, notice) });
    }
    case 'aws-s3-kms':
      return new S3KmsCredentialStore(prefix, new SecretsAwsClients({ region, timeoutMs: options.timeoutMs }));
    case 'aws-ssm':
      return new SsmCredentialStore(prefix, new SecretsAwsClients({ region, timeoutMs: options.timeoutMs }));
  }
}
