import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialStore, secretsDir } from '../../src/secrets/create.ts';
import { MasterKeyError, TamperedSecretError } from '../../src/secrets/errors.ts';
import type { CredentialKey, CredentialStore } from '../../src/secrets/store.ts';
import { isolatedEnv, makeProject, newMasterKey, tempDir } from '../support/secrets.ts';

const KEYS: CredentialKey[] = ['a', 'b', 'c', 'd'].map((d) => ({ service: 'slack', descriptor: `team-${d}` }));

/** A project with four stored secrets, its key in a file we can inspect. */
async function prepare(env: NodeJS.ProcessEnv = { STREAMALERT_KEY_FILE: join(tempDir(), 'master.json') }) {
  const project = makeProject();
  const fullEnv = isolatedEnv(env);
  const open = (override: NodeJS.ProcessEnv = {}) => createCredentialStore(project, { env: { ...fullEnv, ...override }, notice: () => {} });
  const store = open();
  for (const key of KEYS) await store.put(key, { url: `value of ${key.descriptor}` });
  const kidOf = (key: CredentialKey) => JSON.parse(readFileSync(join(secretsDir(project.dir), key.service, `${key.descriptor}.json`), 'utf8')).kid as string;
  const keyFileKeys = () => (JSON.parse(readFileSync(fullEnv.STREAMALERT_KEY_FILE!, 'utf8')).keys as { key: string }[]).map((k) => k.key);
  return { project, store, open, kidOf, keyFileKeys, fileOf: (key: CredentialKey) => join(secretsDir(project.dir), key.service, `${key.descriptor}.json`) };
}

async function expectAllReadable(store: CredentialStore): Promise<void> {
  for (const key of KEYS) expect((await store.get(key)).url!.reveal()).toBe(`value of ${key.descriptor}`);
}

describe('local backend: key rotation', () => {
  it('re-encrypts every secret under a new master key and then forgets the old one', async () => {
    const { store, open, kidOf, keyFileKeys } = await prepare();
    const [oldKey] = keyFileKeys();
    const oldKid = kidOf(KEYS[0]!);
    const seen: string[] = [];
    const report = await store.rotate({ onRotated: (key) => seen.push(key.descriptor) });
    expect(report.rotated).toEqual(KEYS);
    expect(report.failed).toEqual([]);
    expect(seen).toEqual(KEYS.map((k) => k.descriptor));
    const newKid = kidOf(KEYS[0]!);
    expect(newKid).not.toBe(oldKid);
    expect(KEYS.map(kidOf)).toEqual(KEYS.map(() => newKid));
    expect(report.target).toContain(newKid);
    expect(keyFileKeys()).toHaveLength(1);
    expect(keyFileKeys()).not.toContain(oldKey);
    await expectAllReadable(open());
  });

  it('leaves every secret readable when stopped part way, and finishes when run again', async () => {
    const { store, open, kidOf, keyFileKeys } = await prepare();
    const oldKid = kidOf(KEYS[0]!);
    // The progress callback throwing stops the rotation after the second secret, as a crash would.
    let done = 0;
    const stopped = store.rotate({
      onRotated: () => {
        done += 1;
        if (done === 2) throw new Error('interrupted');
      },
    });
    await expect(stopped).rejects.toThrow('interrupted');
    const kids = KEYS.map(kidOf);
    expect(kids.filter((kid) => kid === oldKid)).toHaveLength(2);
    expect(keyFileKeys()).toHaveLength(2);
    await expectAllReadable(open());

    const report = await open().rotate();
    expect(report.rotated).toHaveLength(4);
    expect(keyFileKeys()).toHaveLength(1);
    expect(new Set(KEYS.map(kidOf)).size).toBe(1);
    await expectAllReadable(open());
  });

  it('reports a secret it cannot open, rotates the rest, and keeps the old key for it', async () => {
    const { store, open, fileOf, keyFileKeys } = await prepare();
    const broken = KEYS[1]!;
    const sealed = JSON.parse(readFileSync(fileOf(broken), 'utf8'));
    sealed.payload.tag = Buffer.alloc(16).toString('base64');
    writeFileSync(fileOf(broken), JSON.stringify(sealed));

    const report = await store.rotate();
    expect(report.rotated.map((k) => k.descriptor)).toEqual(['team-a', 'team-c', 'team-d']);
    expect(report.failed.map((f) => f.key)).toEqual([broken]);
    expect(report.failed[0]!.error).toBeInstanceOf(TamperedSecretError);
    expect(report.followUp).toMatch(/older master keys are kept/);
    expect(keyFileKeys()).toHaveLength(2);
    for (const key of [KEYS[0]!, KEYS[2]!, KEYS[3]!]) expect((await open().get(key)).url!.reveal()).toBe(`value of ${key.descriptor}`);
  });

  it('with STREAMALERT_MASTER_KEY, asks for "new,old" and re-encrypts under the first', async () => {
    const oldKey = newMasterKey();
    const newKey = newMasterKey();
    const { store, open } = await prepare({ STREAMALERT_MASTER_KEY: oldKey });
    await expect(store.rotate()).rejects.toThrow(MasterKeyError);
    await expect(store.rotate()).rejects.toThrow('STREAMALERT_MASTER_KEY="<new key>,<current key>"');

    const report = await open({ STREAMALERT_MASTER_KEY: `${newKey},${oldKey}` }).rotate();
    expect(report.rotated).toHaveLength(4);
    expect(report.followUp).toMatch(/remove the other keys/);
    await expectAllReadable(open({ STREAMALERT_MASTER_KEY: newKey }));
  });
});
