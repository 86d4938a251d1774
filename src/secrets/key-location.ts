import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MasterKeyError } from './errors.ts';
import { writeFileExclusive } from './exclusive.ts';
import { EnvKeySource, FileKeySource, type KeySource } from './keyring.ts';

/** Names, inside the project's secrets folder, which key file in the user's config dir is its own. */
const KEYRING_ID_FILE = 'keyring-id';

/**
 * The per-user folder for key files: $XDG_CONFIG_HOME/streamalert/keys, else
 * ~/.config/streamalert/keys. It is outside every project so a key is never committed,
 * packaged or copied along with the ciphertext it protects.
 */
export function userKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(configHome, 'streamalert', 'keys');
}

/**
 * Chooses the local backend's master key source:
 * STREAMALERT_MASTER_KEY (base64; several comma-separated during a rotation), else the file at
 * STREAMALERT_KEY_FILE, else this project's own key file in `userKeyDir()`. Each project gets
 * its own file (named by a random id kept in the secrets folder) so that rotating one
 * project's key never strands another project's secrets.
 *
 * @example
 *   const keys = keySourceFor('/srv/detections', '/srv/detections/.streamalert/secrets', process.env, console.error);
 */
export function keySourceFor(
  projectDir: string,
  secretsDir: string,
  env: NodeJS.ProcessEnv,
  notice: (line: string) => void,
): KeySource {
  if (env.STREAMALERT_MASTER_KEY) return new EnvKeySource(env.STREAMALERT_MASTER_KEY);
  if (env.STREAMALERT_KEY_FILE) {
    const path = resolve(env.STREAMALERT_KEY_FILE);
    refuseInsideProject(path, projectDir, 'STREAMALERT_KEY_FILE');
    return new FileKeySource(() => path, notice);
  }
  const keyDir = userKeyDir(env);
  refuseInsideProject(keyDir, projectDir, 'XDG_CONFIG_HOME');
  return new FileKeySource((create) => {
    const id = keyringId(secretsDir, create);
    return id === undefined ? undefined : join(keyDir, `${id}.json`);
  }, notice);
}

function keyringId(secretsDir: string, create: boolean): string | undefined {
  const path = join(secretsDir, KEYRING_ID_FILE);
  if (existsSync(path)) {
    const id = readFileSync(path, 'utf8').trim();
    if (!/^[a-f0-9]{32}$/.test(id)) throw new MasterKeyError(`${path} is damaged; it must hold the 32-hex-digit name of this project's key file`);
    return id;
  }
  if (!create) return undefined;
  // Exclusive: two first stores at once must not name two different key files.
  writeFileExclusive(path, `${randomBytes(16).toString('hex')}\n`, 0o600);
  return keyringId(secretsDir, false);
}

function refuseInsideProject(path: string, projectDir: string, setting: string): void {
  const inside = relative(resolve(projectDir), path);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new MasterKeyError(
      `${setting} puts the master key inside the project folder (${path}); keep it outside, ` +
        `so it is never committed or shipped with the ciphertext it protects`,
    );
  }
}
