import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretsAwsClients } from '../../src/secrets/aws-clients.ts';
import { setupAwsSecrets } from '../../src/secrets/aws-setup.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { MissingSecretError, TamperedSecretError } from '../../src/secrets/errors.ts';
import type { CredentialKey, CredentialStore } from '../../src/secrets/store.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { knownSecret, makeProject } from '../support/secrets.ts';

const PHANTOM: CredentialKey = { service: 'phantom', descriptor: 'soc' };

const clients = new SecretsAwsClients({ region: 'us-east-1' });
const stores: CredentialStore[] = [];
afterAll(() => {
  for (const store of stores) store.close?.();
  clients.destroy();
});

/** A project on the aws-ssm backend with its own prefix, hence its own parameter path and key alias. */
async function prepare() {
  const prefix = uniqueName('sa');
  const project = makeProject({ account: { prefix }, secrets: { backend: 'aws-ssm' } });
  await setupAwsSecrets('aws-ssm', prefix, clients);
  const store = createCredentialStore(project);
  stores.push(store);
  return { prefix, store };
}

describe.skipIf(noMoto)('aws-ssm backend against moto', () => {
  it('stores a SecureString under /<prefix>/streamalert/outputs/<service>/<descriptor> with the StreamAlert key, and loads it back', async () => {
    const { prefix, store } = await prepare();
    const token = knownSecret('token');
    await store.put(PHANTOM, { ph_auth_token: token });
    const name = `/${prefix}/streamalert/outputs/phantom/soc`;
    const raw = await clients.ssm().send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    expect(raw.Parameter!.Type).toBe('SecureString');
    expect(raw.Parameter!.Value).not.toBe(JSON.stringify({ ph_auth_token: token }));
    const decrypted = await clients.ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    expect(JSON.parse(decrypted.Parameter!.Value!)).toEqual({ ph_auth_token: token });
    const described = await clients.ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }));
    expect(described.Parameters![0]!.KeyId).toBe(`alias/${prefix}_streamalert_secrets`);
    expect((await store.get(PHANTOM)).ph_auth_token!.reveal()).toBe(token);
  });

  it('says which output has nothing stored and how to store it', async () => {
    const { store } = await prepare();
    const error = await store.get(PHANTOM).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(MissingSecretError);
    expect((error as Error).message).toContain('phantom:soc');
    expect((error as Error).message).toContain('streamalert output new --service phantom');
  });

  it('refuses a parameter that does not hold a credentials object, without quoting it', async () => {
    const { prefix, store } = await prepare();
    const garbage = `not json ${knownSecret('x')}`;
    await clients.ssm().send(new PutParameterCommand({ Name: `/${prefix}/streamalert/outputs/phantom/soc`, Value: garbage, Type: 'SecureString' }));
    const error = await store.get(PHANTOM).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(TamperedSecretError);
    expectNoSecrets([garbage], error);
  });

  it('lists from metadata, deletes, and deleting what is not there is fine', async () => {
    const { store } = await prepare();
    await store.put(PHANTOM, { ph_auth_token: 'a' });
    await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url: 'b' });
    expect(new Set((await store.list()).map((k) => `${k.service}:${k.descriptor}`))).toEqual(new Set(['phantom:soc', 'slack:sec-alerts']));
    await store.delete(PHANTOM);
    await store.delete(PHANTOM);
    expect(await store.list()).toEqual([{ service: 'slack', descriptor: 'sec-alerts' }]);
  });

  it('rotates by writing each value back under the alias, as a new parameter version', async () => {
    const { prefix, store } = await prepare();
    const keys = ['a', 'b'].map((d) => ({ service: 'slack', descriptor: d }));
    for (const key of keys) await store.put(key, { url: key.descriptor });
    const versionOf = async (d: string) =>
      (await clients.ssm().send(new GetParameterCommand({ Name: `/${prefix}/streamalert/outputs/slack/${d}` }))).Parameter!.Version;
    expect(await versionOf('a')).toBe(1);
    const report = await store.rotate();
    expect(report.rotated).toEqual(keys);
    expect(report.failed).toEqual([]);
    for (const key of keys) {
      expect(await versionOf(key.descriptor)).toBe(2);
      expect((await store.get(key)).url!.reveal()).toBe(key.descriptor);
    }
  });
});
