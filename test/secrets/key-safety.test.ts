import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.ts';
import { createCredentialStore, secretsDir } from '../../src/secrets/create.ts';
import { MasterKeyError } from '../../src/secrets/errors.ts';
import type { CredentialKey } from '../../src/secrets/store.ts';
import { streamalert } from '../support/cli.ts';
import { isolatedEnv, makeProject, tempDir } from '../support/secrets.ts';

const A: CredentialKey = { service: 'slack', descriptor: 'team-a' };
const B: CredentialKey = { service: 'slack', descriptor: 'team-b' };

type Env = ReturnType<typeof isolatedEnv>;

/** `output new` through the real CLI, the values on standard input. */
function outputNew(dir: string, env: Env, descriptor: string, url: string, ...flags: string[]) {
  return streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-', ...flags], { env, input: JSON.stringify({ descriptor, url }) });
}

/** What a delivering process would read: the stored URL of one output of the project in `dir`. */
async function storedUrl(dir: string, env: Env, key: CredentialKey): Promise<string> {
  const store = createCredentialStore(loadProject(dir), { env, notice: () => {} });
  return (await store.get(key)).url!.reveal();
}

const keyDirOf = (env: Env) => join(env.XDG_CONFIG_HOME, 'streamalert', 'keys');
const keyFilesIn = (env: Env) => (existsSync(keyDirOf(env)) ? readdirSync(keyDirOf(env)).filter((name) => name.endsWith('.json')) : []);
const keyringIdOf = (dir: string) => readFileSync(join(secretsDir(dir), 'keyring-id'), 'utf8').trim();
const kidOf = (dir: string, key: CredentialKey) => JSON.parse(readFileSync(join(secretsDir(dir), key.service, `${key.descriptor}.json`), 'utf8')).kid as string;

/** A project with two Slack secrets stored through the CLI, its key file in the isolated home. */
function projectWithSecrets() {
  const project = makeProject();
  const env = isolatedEnv();
  for (const key of [A, B]) expect(outputNew(project.dir, env, key.descriptor, `https://hooks.example/${key.descriptor}`).status).toBe(0);
  const keyFile = join(keyDirOf(env), `${keyringIdOf(project.dir)}.json`);
  return { dir: project.dir, env, keyFile };
}

describe('the local master key is never replaced while secrets need it', () => {
  it('refuses to create a new key when the key file is missing and secrets sealed under it exist, saying which key and where', async () => {
    const { dir, env, keyFile } = projectWithSecrets();
    renameSync(keyFile, `${keyFile}.backup`);

    const run = outputNew(dir, env, 'team-c', 'https://hooks.example/team-c');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Refusing to create a new master key');
    expect(run.stderr).toContain(kidOf(dir, A));
    expect(run.stderr).toContain(keyFile);
    expect(run.stderr).toContain('slack:team-a, slack:team-b');
    expect(keyFilesIn(env)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'conf', 'outputs.json'), 'utf8'))).toEqual({ slack: ['team-a', 'team-b'] });

    // The backup restored: everything works again, old secrets and new.
    renameSync(`${keyFile}.backup`, keyFile);
    expect(outputNew(dir, env, 'team-c', 'https://hooks.example/team-c').status).toBe(0);
    expect(await storedUrl(dir, env, A)).toBe('https://hooks.example/team-a');
    expect(await storedUrl(dir, env, { service: 'slack', descriptor: 'team-c' })).toBe('https://hooks.example/team-c');
  });

  it('refuses to rotate onto a new key when the key file is missing', () => {
    const { dir, env, keyFile } = projectWithSecrets();
    renameSync(keyFile, `${keyFile}.backup`);
    const run = streamalert(['--project', dir, 'secrets', 'rotate'], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Refusing to create a new master key');
    expect(keyFilesIn(env)).toEqual([]);
  });

  it('lets the only secret sealed under the lost key be stored again under a new one', async () => {
    const project = makeProject();
    const env = isolatedEnv();
    expect(outputNew(project.dir, env, 'team-a', 'https://hooks.example/old').status).toBe(0);
    renameSync(join(keyDirOf(env), `${keyringIdOf(project.dir)}.json`), join(tempDir(), 'lost.json'));

    const run = outputNew(project.dir, env, 'team-a', 'https://hooks.example/new', '--update');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('created the master key');
    expect(await storedUrl(project.dir, env, A)).toBe('https://hooks.example/new');
  });
});

describe('a copied project never shares (and so never rotates) the original key file', () => {
  it('gives the copy a key file of its own on first use, so rotating the copy leaves the original readable', async () => {
    const original = projectWithSecrets();
    const copy = join(tempDir(), 'copy');
    execFileSync('cp', ['-a', original.dir, copy]);

    const rotated = streamalert(['--project', copy, 'secrets', 'rotate'], { env: original.env });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stderr).toContain(`is a copy of ${realpathSync(original.dir)}`);
    expect(keyringIdOf(copy)).not.toBe(keyringIdOf(original.dir));
    expect(kidOf(copy, A)).not.toBe(kidOf(original.dir, A));

    expect(await storedUrl(original.dir, original.env, A)).toBe('https://hooks.example/team-a');
    expect(await storedUrl(original.dir, original.env, B)).toBe('https://hooks.example/team-b');
    expect(await storedUrl(copy, original.env, A)).toBe('https://hooks.example/team-a');
  });

  it('keeps the copy readable when the original rotates after the copy was used', async () => {
    const original = projectWithSecrets();
    const copy = join(tempDir(), 'copy');
    execFileSync('cp', ['-a', original.dir, copy]);
    const used = streamalert(['--project', copy, 'output', 'get', 'slack:team-a'], { env: original.env });
    expect(used.status, used.stderr).toBe(0);
    expect(used.stderr).toContain('is a copy of');

    const rotated = streamalert(['--project', original.dir, 'secrets', 'rotate'], { env: original.env });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stderr).not.toContain('is a copy of');
    expect(await storedUrl(copy, original.env, B)).toBe('https://hooks.example/team-b');
    expect(await storedUrl(original.dir, original.env, B)).toBe('https://hooks.example/team-b');
  });

  it('lets a moved project keep its key file, which then records the new place', async () => {
    const original = projectWithSecrets();
    const id = keyringIdOf(original.dir);
    const moved = join(tempDir(), 'moved');
    renameSync(original.dir, moved);

    const rotated = streamalert(['--project', moved, 'secrets', 'rotate'], { env: original.env });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stderr).not.toContain('is a copy of');
    expect(keyringIdOf(moved)).toBe(id);
    expect(readFileSync(join(keyDirOf(original.env), `${id}.project`), 'utf8').trim()).toBe(realpathSync(moved));
    expect(await storedUrl(moved, original.env, A)).toBe('https://hooks.example/team-a');
  });
});

describe('STREAMALERT_KEY_FILE is checked by real path', () => {
  const open = (projectDir: string, keyFile: string) => () => createCredentialStore(loadProject(projectDir), { env: isolatedEnv({ STREAMALERT_KEY_FILE: keyFile }), notice: () => {} });

  it('refuses a key file reached through a symbolic link into the project, existing or not', () => {
    const project = makeProject();
    mkdirSync(join(project.dir, '.streamalert'));
    const link = join(tempDir(), 'looks-outside');
    symlinkSync(join(project.dir, '.streamalert'), link);
    expect(open(project.dir, join(link, 'master.json'))).toThrow(/inside the project folder/);

    writeFileSync(join(project.dir, '.streamalert', 'master.json'), '{}', { mode: 0o600 });
    const fileLink = join(tempDir(), 'master.json');
    symlinkSync(join(project.dir, '.streamalert', 'master.json'), fileLink);
    expect(open(project.dir, fileLink)).toThrow(MasterKeyError);
  });

  it('refuses a key file inside a project named through a symbolic link', () => {
    const project = makeProject();
    const projectLink = join(tempDir(), 'project-link');
    symlinkSync(project.dir, projectLink);
    expect(open(projectLink, join(project.dir, 'master.json'))).toThrow(/inside the project folder/);
  });

  it('accepts a key file outside the project', () => {
    const project = makeProject();
    expect(open(project.dir, join(tempDir(), 'master.json'))).not.toThrow();
  });
});
