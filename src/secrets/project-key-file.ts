import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../config/atomic.ts';
import { MasterKeyError } from './errors.ts';
import { writeFileExclusive } from './exclusive.ts';
import { keyFileText, readKeyFile, type KeyFileLocation } from './keyring.ts';

/** Names, inside the project's secrets folder, which key file in the user's key folder is its own. */
const KEYRING_ID_FILE = 'keyring-id';

/** Errors that say a file may not be written here, not that something is wrong with it. */
const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * A project's own key file in the user's key folder, `<keyDir>/<id>.json`, named by the random
 * id in the project's `keyring-id`. Beside it, `<id>.project` records the real path of the
 * project it belongs to, so that a copied project (`cp -a` copies the id) is told apart from the
 * original: on its first use the copy gets an id and a key file of its own, holding the same
 * keys, and rotating either project's key never strands the other's secrets. A project that
 * was moved keeps its key file, which then records the new path.
 *
 * @example
 *   const keys = new FileKeySource(new ProjectKeyFile({ projectDir, secretsDir, keyDir, notice }), notice);
 */
export class ProjectKeyFile implements KeyFileLocation {
  readonly #projectDir: string;
  readonly #secretsDir: string;
  readonly #keyDir: string;
  readonly #notice: (line: string) => void;

  constructor(options: { projectDir: string; secretsDir: string; keyDir: string; notice: (line: string) => void }) {
    this.#projectDir = options.projectDir;
    this.#secretsDir = options.secretsDir;
    this.#keyDir = options.keyDir;
    this.#notice = options.notice;
  }

  locate(create: boolean): string | undefined {
    const id = this.#id(create);
    if (id === undefined) return undefined;
    const path = this.#keyFile(id);
    // Nothing to share before the key exists; its first use after creation records the owner.
    if (!existsSync(path)) return path;
    try {
      return this.#owned(id, path);
    } catch (error) {
      // Where nothing may be written (a read-only home), the key can still be read; a rotation would fail on its own write.
      if (READ_ONLY_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return path;
      throw error;
    }
  }

  describe(): string {
    const idFile = join(this.#secretsDir, KEYRING_ID_FILE);
    const id = existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : undefined;
    return id === undefined ? `the key file named by ${idFile}` : `the key file ${this.#keyFile(id)}`;
  }

  /** The key file this project may use: its own, after telling a copy from a move. */
  #owned(id: string, path: string): string {
    const me = realPath(this.#projectDir);
    const ownerFile = this.#ownerFile(id);
    if (writeFileExclusive(ownerFile, `${me}\n`, 0o600)) return path;
    const recorded = readFileSync(ownerFile, 'utf8').trim();
    if (recorded === me || this.#sameIdFile(recorded)) return path;
    if (this.#holdsId(recorded, id)) return this.#fork(id, path, recorded, me);
    // The project it recorded no longer uses this id there: this project was moved; the key follows it.
    writeFileAtomic(ownerFile, `${me}\n`, 0o600);
    return path;
  }

  /** Gives this copy an id and a key file of its own, holding the keys it shares with `original`. */
  #fork(id: string, path: string, original: string, me: string): string {
    const ring = readKeyFile(path);
    const forked = randomId();
    const forkedPath = this.#keyFile(forked);
    writeFileExclusive(forkedPath, keyFileText(ring.keys), 0o600);
    writeFileExclusive(this.#ownerFile(forked), `${me}\n`, 0o600);
    // Last, and atomically: until this rename the copy still reads the shared file, which holds the same keys.
    writeFileAtomic(join(this.#secretsDir, KEYRING_ID_FILE), `${forked}\n`, 0o600);
    this.#notice(
      `streamalert: this project (${me}) is a copy of ${original} and shared its key file (${id}); it now has its own, ${forkedPath}, ` +
        `holding the same keys, so rotating either project's key never strands the other's secrets. Back it up; ` +
        `'streamalert secrets rotate' here gives this project a new key.`,
    );
    return forkedPath;
  }

  /** Whether `project` (a real path) has a keyring-id file naming `id`: the original of a copy. */
  #holdsId(project: string, id: string): boolean {
    const idFile = join(project, relative(this.#projectDir, this.#secretsDir), KEYRING_ID_FILE);
    try {
      return readFileSync(idFile, 'utf8').trim() === id;
    } catch {
      return false;
    }
  }

  /** Whether `project` reaches this very keyring-id file (another name of the same folder, e.g. a bind mount). */
  #sameIdFile(project: string): boolean {
    try {
      const theirs = statSync(join(project, relative(this.#projectDir, this.#secretsDir), KEYRING_ID_FILE));
      const mine = statSync(join(this.#secretsDir, KEYRING_ID_FILE));
      return theirs.dev === mine.dev && theirs.ino === mine.ino;
    } catch {
      return false;
    }
  }

  #id(create: boolean): string | undefined {
    const path = join(this.#secretsDir, KEYRING_ID_FILE);
    if (existsSync(path)) {
      const id = readFileSync(path, 'utf8').trim();
      if (!/^[a-f0-9]{32}$/.test(id)) throw new MasterKeyError(`${path} is damaged; it must hold the 32-hex-digit name of this project's key file`);
      return id;
    }
    if (!create) return undefined;
    // Exclusive: two first stores at once must not name two different key files.
    writeFileExclusive(path, `${randomId()}\n`, 0o600);
    return this.#id(false);
  }

  #keyFile(id: string): string {
    return join(this.#keyDir, `${id}.json`);
  }

  #ownerFile(id: string): string {
    return join(this.#keyDir, `${id}.project`);
  }
}

function randomId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The real path of `path`, symbolic links resolved; for a path that does not exist yet, the
 * real path of its nearest existing folder with the rest appended.
 *
 * @example
 *   realPath('/tmp/link-to-project/.streamalert/new-key.json')  // '/srv/project/.streamalert/new-key.json'
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = resolve(absolute, '..');
    return parent === absolute ? absolute : join(realPath(parent), relative(parent, absolute));
  }
}
