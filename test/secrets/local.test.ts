import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialStore, secretsDir } from '../../src/secrets/create.ts';
import { MasterKeyError, MissingSecretError, TamperedSecretError, WrongMasterKeyError } from '../../src/secrets/errors.ts';
import type { CredentialKey } from '../../src/secrets/store.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { isolatedEnv, knownSecret, makeProject, newMasterKey, tempDir } from '../support/secrets.ts';

const SLACK: CredentialKey = { service: 'slack', descriptor: 'sec-alerts' };
const OTHER: CredentialKey = { service: 'slack', descriptor: 'beta-rules' };

/** A local store over a fresh project and a fresh, isolated home folder. */
function setup(extraEnv: NodeJS.ProcessEnv = {}) {
  const project = makeProject();
  const env = isolatedEnv(extraEnv);
  const notices: string[] = [];
  const open = (override: NodeJS.ProcessEnv = {}) => createCredentialStore(project, { env: { ...env, ...override }, notice: (line) => notices.push(line) });
  const fileOf = (key: CredentialKey) => join(secretsDir(project.dir), key.service, `${key.descriptor}.json`);
  return { project, env, notices, store: open(), open, fileOf };
}

async function expectRejects<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** Rewrites one base64 field of a sealed file with one bit of its decoded bytes flipped. */
function flipBit(path: string, field: 'key' | 'payload'): void {
  const sealed = JSON.parse(readFileSync(path, 'utf8'));
  const bytes = Buffer.from(sealed[field].data, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  sealed[field].data = bytes.toString('base64');
  writeFileSync(path, JSON.stringify(sealed));
}

describe('local backend: storing and loading', () => {
  it('round-trips values as Secrets that redact themselves', async () => {
    const { store } = setup();
    const url = `https://hooks.slack.com/services/${knownSecret('T')}`;
    await store.put(SLACK, { url });
    const loaded = await store.get(SLACK);
    expect(loaded.url!.reveal()).toBe(url);
    expect(JSON.stringify(loaded)).toBe('{"url":"[secret]"}');
  });

  it('writes only ciphertext, under .streamalert/secrets, mode 0600 in a 0700 folder', async () => {
    const { store, fileOf } = setup();
    const token = knownSecret('token');
    await store.put(SLACK, { url: token });
    const file = fileOf(SLACK);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(readFileSync(file, 'utf8')).not.toContain(Buffer.from(token).toString('base64'));
    expect(readdirSync(join(file, '..'))).toEqual(['sec-alerts.json']); // no temporary file left behind
  });

  it('uses a fresh data key per secret: the same values never give the same ciphertext', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'same' });
    await store.put(OTHER, { url: 'same' });
    const a = JSON.parse(readFileSync(fileOf(SLACK), 'utf8'));
    const b = JSON.parse(readFileSync(fileOf(OTHER), 'utf8'));
    expect(a.key.data).not.toBe(b.key.data);
    expect(a.payload.data).not.toBe(b.payload.data);
  });

  it('lists, replaces and deletes; deleting what is not there is fine', async () => {
    const { store } = setup();
    await store.put(SLACK, { url: 'one' });
    await store.put(OTHER, { url: 'two' });
    await store.put(SLACK, { url: 'three' });
    expect(await store.list()).toEqual([OTHER, SLACK]);
    expect((await store.get(SLACK)).url!.reveal()).toBe('three');
    await store.delete(SLACK);
    await store.delete(SLACK);
    expect(await store.list()).toEqual([OTHER]);
  });

  it('keeps descriptors with path characters inside their folder', async () => {
    const { store, project } = setup();
    const sneaky = { service: 'slack', descriptor: '../../escape/x.y' };
    await store.put(sneaky, { url: 'v' });
    expect(await store.list()).toEqual([sneaky]);
    expect((await store.get(sneaky)).url!.reveal()).toBe('v');
    const files = readdirSync(secretsDir(project.dir), { recursive: true }).map(String);
    expect(files.every((file) => !relative(secretsDir(project.dir), join(secretsDir(project.dir), file)).startsWith('..'))).toBe(true);
    expect(existsSync(join(project.dir, '.streamalert', 'escape'))).toBe(false);
  });

  it('says which output has no stored credentials and how to store them', async () => {
    const { store } = setup();
    const error = await expectRejects(store.get(SLACK), MissingSecretError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toContain('streamalert output new --service slack --descriptor sec-alerts --update');
  });
});

describe('local backend: the master key', () => {
  it('creates a 0600 key file in $XDG_CONFIG_HOME/streamalert on first use, with a one-line notice', async () => {
    const { store, env, notices, project } = setup();
    await store.put(SLACK, { url: 'v' });
    await store.put(OTHER, { url: 'v' });
    const keyDir = join(env.XDG_CONFIG_HOME, 'streamalert', 'keys');
    const [keyFile] = readdirSync(keyDir).filter((name) => name.endsWith('.json'));
    expect(statSync(join(keyDir, keyFile!)).mode & 0o777).toBe(0o600);
    expect(relative(project.dir, keyDir).startsWith('..')).toBe(true);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(join(keyDir, keyFile!));
    expect(notices[0]).toMatch(/back it up.*losing it loses every stored secret/i);
    expect(notices[0]).not.toContain('\n');
  });

  it('falls back to ~/.config/streamalert without XDG_CONFIG_HOME', async () => {
    const { store, env } = setup({ XDG_CONFIG_HOME: '' });
    await store.put(SLACK, { url: 'v' });
    expect(readdirSync(join(env.HOME, '.config', 'streamalert', 'keys'))).toHaveLength(1);
  });

  it('gives each project its own key file, so rotating one never strands another', async () => {
    const env = isolatedEnv();
    const first = createCredentialStore(makeProject(), { env, notice: () => {} });
    const second = createCredentialStore(makeProject(), { env, notice: () => {} });
    await first.put(SLACK, { url: 'first' });
    await second.put(SLACK, { url: 'second' });
    await first.rotate();
    expect((await second.get(SLACK)).url!.reveal()).toBe('second');
    expect(readdirSync(join(env.XDG_CONFIG_HOME, 'streamalert', 'keys')).filter((name) => name.endsWith('.json'))).toHaveLength(2);
  });

  it('uses STREAMALERT_KEY_FILE when set, and refuses one inside the project', async () => {
    const keyFile = join(tempDir(), 'master.json');
    const { store, project, open } = setup({ STREAMALERT_KEY_FILE: keyFile });
    await store.put(SLACK, { url: 'v' });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const inside = join(project.dir, 'master.json');
    expect(() => open({ STREAMALERT_KEY_FILE: inside })).toThrow(MasterKeyError);
  });

  it('uses STREAMALERT_MASTER_KEY when set, writing no key file', async () => {
    const { store, env, notices } = setup({ STREAMALERT_MASTER_KEY: newMasterKey() });
    await store.put(SLACK, { url: 'v' });
    expect((await store.get(SLACK)).url!.reveal()).toBe('v');
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'streamalert'))).toBe(false);
    expect(notices).toEqual([]);
  });

  it('rejects a malformed STREAMALERT_MASTER_KEY without quoting it', async () => {
    const malformed = 'c2hvcnQ-not-a-key-' + knownSecret('k');
    const { store } = setup({ STREAMALERT_MASTER_KEY: malformed });
    const error = await expectRejects(store.put(SLACK, { url: 'v' }), MasterKeyError);
    expect(error.message).toContain('STREAMALERT_MASTER_KEY');
    expectNoSecrets([malformed], error);
  });

  it('refuses a key file that other users can read', async () => {
    const keyFile = join(tempDir(), 'master.json');
    const { store } = setup({ STREAMALERT_KEY_FILE: keyFile });
    await store.put(SLACK, { url: 'v' });
    chmodSync(keyFile, 0o644);
    const error = await expectRejects(store.get(SLACK), MasterKeyError);
    expect(error.message).toContain(`chmod 600 '${keyFile}'`);
  });

  it('says the key is missing when secrets exist but the key file is gone', async () => {
    const keyFile = join(tempDir(), 'master.json');
    const { store } = setup({ STREAMALERT_KEY_FILE: keyFile });
    await store.put(SLACK, { url: 'v' });
    renameSync(keyFile, `${keyFile}.lost`);
    const error = await expectRejects(store.get(SLACK), MasterKeyError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toMatch(/restore the key file from your backup/i);
  });
});

describe('local backend: ciphertext that cannot be trusted fails cleanly', () => {
  it('fails on a flipped bit in the payload, naming the output and the fix', async () => {
    const { store, fileOf } = setup();
    const url = knownSecret('url');
    await store.put(SLACK, { url });
    flipBit(fileOf(SLACK), 'payload');
    const error = await expectRejects(store.get(SLACK), TamperedSecretError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toContain('failed authentication');
    expect(error.message).toContain('streamalert output new --service slack');
    expectNoSecrets([url], error);
  });

  it('fails on a flipped bit in the wrapped data key', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'v' });
    flipBit(fileOf(SLACK), 'key');
    await expectRejects(store.get(SLACK), TamperedSecretError);
  });

  it('fails on a changed byte anywhere in the base64 of the file', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'v' });
    const text = readFileSync(fileOf(SLACK), 'utf8');
    const at = text.indexOf('"data": "') + '"data": "'.length + 3;
    writeFileSync(fileOf(SLACK), text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
    await expectRejects(store.get(SLACK), TamperedSecretError);
  });

  it('fails on a truncated file, and on a truncated ciphertext inside a whole file', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'v' });
    await store.put(OTHER, { url: 'v'.repeat(64) });
    const text = readFileSync(fileOf(SLACK), 'utf8');
    writeFileSync(fileOf(SLACK), text.slice(0, text.length / 2));
    expect((await expectRejects(store.get(SLACK), TamperedSecretError)).message).toContain('truncated');
    const sealed = JSON.parse(readFileSync(fileOf(OTHER), 'utf8'));
    sealed.payload.data = Buffer.from(sealed.payload.data, 'base64').subarray(0, 16).toString('base64');
    writeFileSync(fileOf(OTHER), JSON.stringify(sealed));
    await expectRejects(store.get(OTHER), TamperedSecretError);
  });

  it('fails when two ciphertext files are swapped, even if their owner fields are edited to match', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'for sec-alerts' });
    await store.put(OTHER, { url: 'for beta-rules' });
    const parked = `${fileOf(SLACK)}.parked`;
    renameSync(fileOf(SLACK), parked);
    renameSync(fileOf(OTHER), fileOf(SLACK));
    renameSync(parked, fileOf(OTHER));
    expect((await expectRejects(store.get(SLACK), TamperedSecretError)).message).toContain('holds the credentials of slack:beta-rules');
    await expectRejects(store.get(OTHER), TamperedSecretError);

    const relabelled = JSON.parse(readFileSync(fileOf(SLACK), 'utf8'));
    relabelled.for = 'slack/sec-alerts';
    writeFileSync(fileOf(SLACK), JSON.stringify(relabelled));
    expect((await expectRejects(store.get(SLACK), TamperedSecretError)).message).toContain('failed authentication');
  });

  it('fails when a ciphertext is copied to another descriptor', async () => {
    const { store, fileOf } = setup();
    await store.put(SLACK, { url: 'v' });
    copyFileSync(fileOf(SLACK), fileOf(OTHER));
    await expectRejects(store.get(OTHER), TamperedSecretError);
    expect((await store.get(SLACK)).url!.reveal()).toBe('v');
  });

  it('fails with WrongMasterKeyError under another STREAMALERT_MASTER_KEY', async () => {
    const { store, open } = setup({ STREAMALERT_MASTER_KEY: newMasterKey() });
    const url = knownSecret('url');
    await store.put(SLACK, { url });
    const error = await expectRejects(open({ STREAMALERT_MASTER_KEY: newMasterKey() }).get(SLACK), WrongMasterKeyError);
    expect(error.message).toContain('slack:sec-alerts');
    expect(error.message).toMatch(/encrypted under master key mk-[0-9a-f]{16}, but STREAMALERT_MASTER_KEY holds mk-[0-9a-f]{16}/);
    expectNoSecrets([url], error);
  });

  it('fails with WrongMasterKeyError when the key file holds another key', async () => {
    const keyFile = join(tempDir(), 'master.json');
    const { store } = setup({ STREAMALERT_KEY_FILE: keyFile });
    await store.put(SLACK, { url: 'v' });
    const otherFile = join(tempDir(), 'other.json');
    // Another project's key, copied over this one's.
    await createCredentialStore(makeProject(), { env: isolatedEnv({ STREAMALERT_KEY_FILE: otherFile }), notice: () => {} }).put(OTHER, { url: 'v' });
    copyFileSync(otherFile, keyFile);
    await expectRejects(store.get(SLACK), WrongMasterKeyError);
  });
});
