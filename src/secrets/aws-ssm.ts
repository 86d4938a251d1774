import { DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SecretsAwsClients } from './aws-clients.ts';
import { awsCredentialsError, type AwsCallContext } from './aws-errors.ts';
import { awsSecretsNames } from './aws-names.ts';
import type { Secret } from './secret.ts';
import { credentialKeyFromPath, rotateEach, type CredentialKey, type CredentialStore, type RotateOptions, type RotationReport } from './store.ts';
import { toSecrets } from './values.ts';

/**
 * StreamAlert 3's backend: each output's credentials as one SecureString parameter,
 * `/<prefix>/streamalert/outputs/<service>/<descriptor>`, a JSON object encrypted by SSM under
 * `alias/<prefix>_streamalert_secrets`. SSM decrypts on GetParameter WithDecryption; the
 * value only ever exists in this process's memory.
 *
 * @example
 *   const store = new SsmCredentialStore('acme', new SecretsAwsClients({ region: 'us-east-1' }));
 */
export class SsmCredentialStore implements CredentialStore {
  readonly #clients: SecretsAwsClients;
  readonly #alias: string;
  readonly #root: string;

  constructor(prefix: string, clients: SecretsAwsClients) {
    const names = awsSecretsNames(prefix);
    this.#alias = names.alias;
    this.#root = names.parameterRoot;
    this.#clients = clients;
  }

  async put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void> {
    await this.#write(key, JSON.stringify(values), { ...this.#call(key, 'store'), secrets: Object.values(values) });
  }

  async get(key: CredentialKey): Promise<Record<string, Secret>> {
    return toSecrets(key, await this.#read(key, this.#call(key, 'load')));
  }

  async delete(key: CredentialKey): Promise<void> {
    try {
      await this.#clients.ssm().send(new DeleteParameterCommand({ Name: this.#name(key) }));
    } catch (error) {
      if ((error as { name?: string }).name === 'ParameterNotFound') return;
      throw awsCredentialsError(error, this.#call(key, 'delete'));
    }
  }

  /** From parameter metadata only (DescribeParameters): listing never fetches a value. */
  async list(): Promise<CredentialKey[]> {
    const keys: CredentialKey[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.#clients.ssm().send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [this.#root.slice(0, -1)] }],
            NextToken: token,
          }),
        );
        for (const parameter of page.Parameters ?? []) {
          const key = credentialKeyFromPath(parameter.Name?.startsWith(this.#root) ? parameter.Name.slice(this.#root.length) : '');
          if (key) keys.push(key);
        }
        token = page.NextToken;
      } catch (error) {
        throw awsCredentialsError(error, this.#call(undefined, 'list'));
      }
    } while (token);
    return keys;
  }

  /**
   * Writes each value back with the alias as its key, so SSM encrypts it under the key the
   * alias names now. One PutParameter per secret replaces it whole: every parameter is at all
   * times either its old version or its new one, and both decrypt.
   */
  async rotate(options: RotateOptions = {}): Promise<RotationReport> {
    const outcome = await rotateEach(
      await this.list(),
      async (key) => {
        const call = this.#call(key, 'rotate');
        const value = await this.#read(key, call);
        await this.#write(key, value, { ...call, secrets: Object.values(toSecrets(key, value)).map((secret) => secret.reveal()) });
      },
      options,
    );
    return { target: `KMS key ${this.#alias} (SSM SecureString)`, ...outcome };
  }


  async #read(key: CredentialKey, call: AwsCallContext): Promise<string> {
    try {
      const result = await this.#clients.ssm().send(new GetParameterCommand({ Name: this.#name(key), WithDecryption: true }));
      return result.Parameter?.Value ?? '';
    } catch (error) {
      throw awsCredentialsError(error, call);
    }
  }

  async #write(key: CredentialKey, value: string, call: AwsCallContext): Promise<void> {
    try {
      await this.#clients.ssm().send(
        new PutParameterCommand({ Name: this.#name(key), Value: value, Type: 'SecureString', KeyId: this.#alias, Overwrite: true }),
      );
    } catch (error) {
      throw awsCredentialsError(error, call);
    }
  }

  #name(key: CredentialKey): string {
    return `${this.#root}${key.service}/${key.descriptor}`;
  }

  /** Releases the AWS clients; the store owns them. */
  close(): void {
    this.#clients.destroy();
  }

  #call(key: CredentialKey | undefined, action: AwsCallContext['action']): AwsCallContext {
    return { key, action, origin: 'ssm', resource: key ? `SSM parameter ${this.#name(key)}` : `SSM parameters under ${this.#root}`, alias: this.#alias };
  }
}
