import { join } from 'node:path';
import type { Project } from '../config/project.ts';
import { keySourceFor } from './key-location.ts';
import { LocalCredentialStore } from './local.ts';
import type { CredentialKey, CredentialStore, RotateOptions, RotationReport } from './store.ts';
import type { Secret } from './secret.ts';

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
      return new LoadedOnFirstUse(async () => {
        const [{ S3KmsCredentialStore }, { SecretsAwsClients }] = await Promise.all([import('./aws-s3-kms.ts'), import('./aws-clients.ts')]);
        return new S3KmsCredentialStore(prefix, new SecretsAwsClients({ region, timeoutMs: options.timeoutMs }));
      });
    case 'aws-ssm':
      return new LoadedOnFirstUse(async () => {
        const [{ SsmCredentialStore }, { SecretsAwsClients }] = await Promise.all([import('./aws-ssm.ts'), import('./aws-clients.ts')]);
        return new SsmCredentialStore(prefix, new SecretsAwsClients({ region, timeoutMs: options.timeoutMs }));
      });
  }
}

/**
 * An AWS backend, loaded with its SDK clients at its first call: a command that reads no secret
 * (a run whose outputs have none) never loads the AWS SDK.
 */
class LoadedOnFirstUse implements CredentialStore {
  readonly #load: () => Promise<CredentialStore>;
  #store: Promise<CredentialStore> | undefined;
  #loaded: CredentialStore | undefined;

  constructor(load: () => Promise<CredentialStore>) {
    this.#load = load;
  }

  put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void> {
    return this.#backend().then((store) => store.put(key, values));
  }

  get(key: CredentialKey): Promise<Record<string, Secret>> {
    return this.#backend().then((store) => store.get(key));
  }

  delete(key: CredentialKey): Promise<void> {
    return this.#backend().then((store) => store.delete(key));
  }

  list(): Promise<CredentialKey[]> {
    return this.#backend().then((store) => store.list());
  }

  rotate(options?: RotateOptions): Promise<RotationReport> {
    return this.#backend().then((store) => store.rotate(options));
  }

  close(): void {
    this.#loaded?.close?.();
  }

  #backend(): Promise<CredentialStore> {
    this.#store ??= this.#load().then((store) => (this.#loaded = store));
    return this.#store;
  }
}
