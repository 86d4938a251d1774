import { DecryptCommand, EncryptCommand, ReEncryptCommand } from '@aws-sdk/client-kms';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SecretsAwsClients } from './aws-clients.ts';
import { awsCredentialsError, type AwsCallContext } from './aws-errors.ts';
import { awsSecretsNames, encryptionContext } from './aws-names.ts';
import { outputName, SecretsBackendError } from './errors.ts';
import type { Secret } from './secret.ts';
import { credentialKeyFromPath, rotateEach, type CredentialKey, type CredentialStore, type RotateOptions, type RotationReport } from './store.ts';
import { toSecrets } from './values.ts';

/** KMS Encrypt takes at most 4 KiB of plaintext: https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html */
const KMS_MAX_PLAINTEXT_BYTES = 4096;

/**
 * StreamAlert's backend: each output's credentials encrypted by KMS under
 * `alias/<prefix>_streamalert_secrets` with the encryption context {service, descriptor}, the
 * ciphertext stored at `<service>/<descriptor>` in the bucket `<prefix>.streamalert.secrets`.
 * Loading reads the object into memory and asks KMS to decrypt it with the same context, so a
 * ciphertext copied to another key fails.
 *
 * @example
 *   const store = new S3KmsCredentialStore('acme', new SecretsAwsClients({ region: 'us-east-1' }));
 */
export class S3KmsCredentialStore implements CredentialStore {
  readonly #clients: SecretsAwsClients;
  readonly #alias: string;
  readonly #bucket: string;

  constructor(prefix: string, clients: SecretsAwsClients) {
    const names = awsSecretsNames(prefix);
    this.#alias = names.alias;
    this.#bucket = names.bucket;
    this.#clients = clients;
  }

  async put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void> {
    const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
    const call = this.#call(key, 'store', { secrets: Object.values(values) });
    let ciphertext: Uint8Array | undefined;
    try {
      if (plaintext.length > KMS_MAX_PLAINTEXT_BYTES) {
        throw new SecretsBackendError(
          `The credentials of ${outputName(key)} are ${plaintext.length} bytes; KMS encrypts at most ${KMS_MAX_PLAINTEXT_BYTES}. Shorten them`,
          false,
        );
      }
      const encrypted = await this.#clients
        .kms()
        .send(new EncryptCommand({ KeyId: this.#alias, Plaintext: plaintext, EncryptionContext: encryptionContext(key) }));
      ciphertext = encrypted.CiphertextBlob;
    } catch (error) {
      throw awsCredentialsError(error, { ...call, origin: 'kms' });
    } finally {
      plaintext.fill(0);
    }
    await this.#putObject(key, ciphertext!, call);
  }

  async get(key: CredentialKey): Promise<Record<string, Secret>> {
    const call = this.#call(key, 'load');
    const ciphertext = await this.#getObject(key, call);
    let plaintext: Uint8Array | undefined;
    try {
      const decrypted = await this.#clients
        .kms()
        .send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: encryptionContext(key) }));
      plaintext = decrypted.Plaintext;
      return toSecrets(key, plaintext ?? new Uint8Array());
    } catch (error) {
      throw awsCredentialsError(error, { ...call, origin: 'kms' });
    } finally {
      plaintext?.fill(0);
    }
  }

  async delete(key: CredentialKey): Promise<void> {
    const call = this.#call(key, 'delete');
    try {
      await (await this.#clients.s3()).send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: objectKey(key) }));
    } catch (error) {
      // No bucket, nothing stored: deleting what is not there is not an error.
      if ((error as { name?: string }).name === 'NoSuchBucket') return;
      throw awsCredentialsError(error, call);
    }
  }

  async list(): Promise<CredentialKey[]> {
    const keys: CredentialKey[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await (await this.#clients.s3()).send(new ListObjectsV2Command({ Bucket: this.#bucket, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          const key = credentialKeyFromPath(object.Key ?? '');
          if (key) keys.push(key);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        throw awsCredentialsError(error, { ...this.#call(undefined, 'list'), resource: `S3 bucket ${this.#bucket}` });
      }
    } while (token);
    return keys;
  }

  /**
   * ReEncrypt moves each ciphertext to the key the alias names now without the plaintext
   * ever leaving KMS; each object is replaced in one PutObject, so every object is at all
   * times either the old ciphertext or the new one, and KMS decrypts both.
   */
  async rotate(options: RotateOptions = {}): Promise<RotationReport> {
    const outcome = await rotateEach(
      await this.list(),
      async (key) => {
        const call = this.#call(key, 'rotate');
        const ciphertext = await this.#getObject(key, call);
        const context = encryptionContext(key);
        let reencrypted: Uint8Array | undefined;
        try {
          const result = await this.#clients.kms().send(
            new ReEncryptCommand({
              CiphertextBlob: ciphertext,
              SourceEncryptionContext: context,
              DestinationKeyId: this.#alias,
              DestinationEncryptionContext: context,
            }),
          );
          reencrypted = result.CiphertextBlob;
        } catch (error) {
          throw awsCredentialsError(error, { ...call, origin: 'kms' });
        }
        await this.#putObject(key, reencrypted!, call);
      },
      options,
    );
    return { target: `KMS key ${this.#alias}`, ...outcome };
  }

  async #putObject(key: CredentialKey, ciphertext: Uint8Array, call: AwsCallContext): Promise<void> {
    try {
      await (await this.#clients.s3()).send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: objectKey(key),
          Body: ciphertext,
          ContentType: 'application/octet-stream',
          // Defence in depth on top of the KMS ciphertext, as StreamAlert did; SSE-S3 needs no extra IAM grant.
          ServerSideEncryption: 'AES256',
        }),
      );
    } catch (error) {
      throw awsCredentialsError(error, call);
    }
  }

  async #getObject(key: CredentialKey, call: AwsCallContext): Promise<Uint8Array> {
    try {
      const object = await (await this.#clients.s3()).send(new GetObjectCommand({ Bucket: this.#bucket, Key: objectKey(key) }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      throw awsCredentialsError(error, call);
    }
  }

  /** Releases the AWS clients; the store owns them. */
  close(): void {
    this.#clients.destroy();
  }

  #call(key: CredentialKey | undefined, action: AwsCallContext['action'], extra: Partial<AwsCallContext> = {}): AwsCallContext {
    return {
      key,
      action,
      origin: 's3',
      resource: key ? `s3://${this.#bucket}/${objectKey(key)}` : `s3://${this.#bucket}`,
      alias: this.#alias,
      bucket: this.#bucket,
      ...extra,
    };
  }
}

function objectKey(key: CredentialKey): string {
  return `${key.service}/${key.descriptor}`;
}
