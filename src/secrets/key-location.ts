import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { MasterKeyError } from './errors.ts';
import { EnvKeySource, FileKeySource, fixedKeyFile, type KeySource } from './keyring.ts';
import { ProjectKeyFile, realPath } from './project-key-file.ts';

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
 * its own file (named by a random id kept in the secrets folder, bound to the project's real
 * path: see ProjectKeyFile) so that rotating one project's key never strands another project's
 * secrets, copies included. Paths are compared real: a symbolic link into the project is inside it.
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
    const path = realPath(env.STREAMALERT_KEY_FILE);
    refuseInsideProject(path, projectDir, 'STREAMALERT_KEY_FILE');
    return new FileKeySource(fixedKeyFile(path), notice);
  }
  const keyDir = userKeyDir(env);
  refuseInsideProject(realPath(keyDir), projectDir, 'XDG_CONFIG_HOME');
  return new FileKeySource(new ProjectKeyFile({ projectDir, secretsDir, keyDir, notice }), notice);
}

/** `path` must be a real path: a symbolic link into the project is inside it. */
function refuseInsideProject(path: string, projectDir: string, setting: string): void {
  const inside = relative(realPath(projectDir), path);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new MasterKeyError(
      `${setting} puts the master key inside the project folder (${path}); keep it outside, ` +
        `so it is never committed or shipped with the ciphertext it protects`,
    );
  }
}
