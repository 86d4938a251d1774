import { CreateKeyCommand, DecryptCommand, KMSClient, UpdateAliasCommand } from '@aws-sdk/client-kms';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/project.ts';
import { SecretsAwsClients } from '../../src/secrets/aws-clients.ts';
import { awsSecretsNames } from '../../src/secrets/aws-names.ts';
import { setupAwsSecrets } from '../../src/secrets/aws-setup.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import {
  KmsAccessDeniedError,
  KmsKeyMissingError,
  MissingSecretError,
  SecretsBucketMissingError,
  TamperedSecretError,
} from '../../src/secrets/errors.ts';
import type { CredentialKey, CredentialStore } from '../../src/secrets/store.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { knownSecret, makeProject } from '../support/secrets.ts';

const SLACK: CredentialKey = { service: 'slack', descriptor: 'sec-alerts' };
const OTHER: CredentialKey = { service: 'slack', descriptor: 'beta-rules' };

const clients = new SecretsAwsClients({ region: 'us-east-1' });
const stores: CredentialStore[] = [];
afterAll(() => {
  for (const store of stores) store.close?.();
  clients.destroy();
});

/** A project on the aws-s3-kms backend with its own prefix, hence its own key alias and bucket. */
async function prepare(options: { setup?: 'none' | 'key-only' | 'all'; region?: string } = {}) {
  const prefix = uniqueName('sa');
  const project = makeProject({ account: { prefix, region: options.region ?? 'us-east-1' }, secrets: { backend: 'aws-s3-kms' } });
  const setup = options.setup ?? 'all';
  if (setup === 'key-only') await setupAwsSecrets('aws-ssm', prefix, clients); // the KMS key, no bucket
  if (setup === 'all') await setupAwsSecrets('aws-s3-kms', prefix, clients);
  return { prefix, project, names: awsSecretsNames(prefix), store: open(project) };
}

function open(project: Project): CredentialStore {
  const store = createCredentialStore(project);
  stores.push(store);
  return store;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

async function objectBytes(bucket: string, key: string): Promise<Uint8Array> {
  const object = await (await clients.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToByteArray();
}

describe.skipIf(noMoto)('aws-s3-kms backend against moto', () => {
  it("gives the seed's message and the fix when the bucket does not exist", async () => {
    const { prefix, store } = await prepare({ setup: 'key-only' });
    const url = knownSecret('url');
    const error = await rejection(store.put(SLACK, { url }));
    expect(error).toBeInstanceOf(SecretsBucketMissingError);
    expect(error.message).toBe(
      `An error occurred while sending credentials to S3 for key 'slack/sec-alerts' in bucket '${prefix}.streamalert.secrets': ` +
        `The specified bucket does not exist. Run 'streamalert secrets setup' once for this account and region: ` +
        `it creates the bucket and the KMS key used for stored credentials`,
    );
    expectNoSecrets([url], error);

    expect(await setupAwsSecrets('aws-s3-kms', prefix, clients)).toEqual([
      `KMS key alias/${prefix}_streamalert_secrets: exists`,
      `S3 bucket ${prefix}.streamalert.secrets: created (private, encrypted at rest)`,
    ]);
    await store.put(SLACK, { url });
    expect((await store.get(SLACK)).url!.reveal()).toBe(url);
  });

  it('says the KMS key is missing, and how to create it', async () => {
    const { store } = await prepare({ setup: 'none' });
    const error = await rejection(store.put(SLACK, { url: 'v' }));
    expect(error).toBeInstanceOf(KmsKeyMissingError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toContain("Run 'streamalert secrets setup'");
  });

  it('stores KMS ciphertext at <service>/<descriptor>, encrypted server-side too, and loads it back', async () => {
    const { names, store } = await prepare();
    const url = knownSecret('url');
    await store.put(SLACK, { url });
    const body = Buffer.from(await objectBytes(names.bucket, 'slack/sec-alerts'));
    expect(body.includes(Buffer.from(url))).toBe(false);
    const head = await (await clients.s3()).send(new HeadObjectCommand({ Bucket: names.bucket, Key: 'slack/sec-alerts' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect((await store.get(SLACK)).url!.reveal()).toBe(url);
  });

  it('binds the ciphertext to {service, descriptor}: KMS refuses any other encryption context', async () => {
    const { names, store } = await prepare();
    await store.put(SLACK, { url: 'v' });
    const blob = await objectBytes(names.bucket, 'slack/sec-alerts');
    const kms = clients.kms();
    const right = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { service: 'slack', descriptor: 'sec-alerts' } }));
    expect(Buffer.from(right.Plaintext!).toString()).toBe('{"url":"v"}');
    for (const EncryptionContext of [{ service: 'slack', descriptor: 'beta-rules' }, {}] as Record<string, string>[]) {
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext }))).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    }
  });

  it('refuses a ciphertext copied to another descriptor', async () => {
    const { names, store } = await prepare();
    await store.put(SLACK, { url: 'v' });
    await (await clients.s3()).send(new CopyObjectCommand({ Bucket: names.bucket, Key: 'slack/beta-rules', CopySource: `${names.bucket}/slack/sec-alerts` }));
    const error = await rejection(store.get(OTHER));
    expect(error).toBeInstanceOf(TamperedSecretError);
    expect(error.message).toContain('slack:beta-rules');
    expect(error.message).toContain('service=slack, descriptor=beta-rules');
  });

  it('refuses a modified ciphertext', async () => {
    const { names, store } = await prepare();
    await store.put(SLACK, { url: 'v' });
    const blob = Buffer.from(await objectBytes(names.bucket, 'slack/sec-alerts'));
    blob[blob.length - 1] = blob[blob.length - 1]! ^ 0x01;
    await (await clients.s3()).send(new PutObjectCommand({ Bucket: names.bucket, Key: 'slack/sec-alerts', Body: blob }));
    await expect(store.get(SLACK)).rejects.toBeInstanceOf(TamperedSecretError);
  });

  it('reports KMS access denied when the key is not reachable (here: another region)', async () => {
    const { project, store } = await prepare();
    const url = knownSecret('url');
    await store.put(SLACK, { url });
    const elsewhere = open({ ...project, global: { ...project.global, account: { ...project.global.account, region: 'us-west-2' } } });
    const error = await rejection(elsewhere.get(SLACK));
    expect(error).toBeInstanceOf(KmsAccessDeniedError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toContain('kms:Decrypt');
    expectNoSecrets([url], error);
  });

  it('says which output has nothing stored', async () => {
    const { store } = await prepare();
    const error = await rejection(store.get(SLACK));
    expect(error).toBeInstanceOf(MissingSecretError);
    expect(error.message).toContain('slack:sec-alerts');
  });

  it('lists and deletes; deleting what is not there is fine', async () => {
    const { store } = await prepare();
    await store.put(SLACK, { url: 'a' });
    await store.put({ service: 'pagerduty', descriptor: 'on/call' }, { routing_key: 'b' });
    expect(new Set((await store.list()).map((k) => `${k.service}:${k.descriptor}`))).toEqual(new Set(['slack:sec-alerts', 'pagerduty:on/call']));
    await store.delete(SLACK);
    await store.delete(SLACK);
    expect(await store.list()).toEqual([{ service: 'pagerduty', descriptor: 'on/call' }]);
  });

  it('rotates every secret to the key the alias names now; a stopped rotation leaves all readable', async () => {
    const { names, store } = await prepare();
    const keys = ['a', 'b', 'c'].map((d) => ({ service: 'slack', descriptor: d }));
    for (const key of keys) await store.put(key, { url: key.descriptor });
    const kms = new KMSClient({ region: 'us-east-1' });
    const fresh = await kms.send(new CreateKeyCommand({}));
    await kms.send(new UpdateAliasCommand({ AliasName: names.alias, TargetKeyId: fresh.KeyMetadata!.KeyId }));
    const keyIdOf = async (d: string) =>
      (await kms.send(new DecryptCommand({ CiphertextBlob: await objectBytes(names.bucket, `slack/${d}`), EncryptionContext: { service: 'slack', descriptor: d } }))).KeyId;

    const stopped = store.rotate({
      onRotated: () => {
        throw new Error('interrupted');
      },
    });
    await expect(stopped).rejects.toThrow('interrupted');
    expect(await keyIdOf('a')).toBe(fresh.KeyMetadata!.Arn);
    expect(await keyIdOf('b')).not.toBe(fresh.KeyMetadata!.Arn);
    for (const key of keys) expect((await store.get(key)).url!.reveal()).toBe(key.descriptor);

    const report = await store.rotate();
    expect(report.rotated).toHaveLength(3);
    expect(report.target).toBe(`KMS key ${names.alias}`);
    for (const key of keys) {
      expect(await keyIdOf(key.descriptor)).toBe(fresh.KeyMetadata!.Arn);
      expect((await store.get(key)).url!.reveal()).toBe(key.descriptor);
    }
    kms.destroy();
  });
});
