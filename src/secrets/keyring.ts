import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../config/atomic.ts';
import { MasterKeyError } from './errors.ts';
import { writeFileExclusive } from './exclusive.ts';
import { generateMasterKey, parseMasterKey, type MasterKey } from './master-key.ts';

/** The master keys a local store can use: `current` seals, any of `keys` opens. */
export interface Keyring {
  readonly current: MasterKey;
  /** Current first, then older keys kept until a rotation has re-sealed every secret. */
  readonly keys: readonly MasterKey[];
}

/**
 * Where the local backend's master keys come from. Rotation is two steps around the
 * re-encryption of every secret: `beginRotation` adds a new current key and keeps the old ones,
 * `finishRotation` drops the old ones. A rotation stopped anywhere in between therefore leaves
 * every secret openable by a key still in the ring.
 */
export interface KeySource {
  /** For messages: "the key file /home/me/.config/streamalert/keys/....json" or "STREAMALERT_MASTER_KEY". */
  readonly description: string;
  /** The keyring, or undefined when no key exists yet (nothing was ever stored). */
  load(): Keyring | undefined;
  /** The keyring, creating the first key if there is none. */
  loadOrCreate(): Keyring;
  /** A keyring whose current key is fresh, every older key kept for reading. */
  beginRotation(): Keyring;
  /** Forgets every key but `ring.current`; returns what the user must still do, if anything. */
  finishRotation(ring: Keyring): string | undefined;
}

/**
 * Keys from STREAMALERT_MASTER_KEY: one base64 key, or several separated by commas, the first
 * sealing and all opening. Several keys are how an environment-supplied key is rotated.
 */
export class EnvKeySource implements KeySource {
  readonly description = 'STREAMALERT_MASTER_KEY';
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Parsed on use, so a malformed variable fails the outputs that need it, not every command. */
  load(): Keyring {
    const keys = this.#value.split(',').map((part, index) => parseMasterKey(part, `STREAMALERT_MASTER_KEY (key ${index + 1})`));
    return { current: keys[0]!, keys };
  }

  loadOrCreate(): Keyring {
    return this.load();
  }

  beginRotation(): Keyring {
    const ring = this.load();
    if (ring.keys.length < 2) {
      throw new MasterKeyError(
        'The master key comes from STREAMALERT_MASTER_KEY, so rotation needs the new key from you: set ' +
          'STREAMALERT_MASTER_KEY="<new key>,<current key>" (make one with: openssl rand -base64 32), run ' +
          "'streamalert secrets rotate', then set it to the new key alone",
      );
    }
    return ring;
  }

  finishRotation(ring: Keyring): string {
    return `Every secret is now sealed under ${ring.current.id}, the first key in STREAMALERT_MASTER_KEY; remove the other keys from it`;
  }
}

interface KeyFileContent {
  format: 'streamalert-keyring';
  version: 1;
  /** Current first. */
  keys: { key: string; created: string }[];
}

/** Where a FileKeySource's key file is. */
export interface KeyFileLocation {
  /**
   * The key file's path (which may not exist yet); with create=false, undefined when the
   * project has not been given a key file yet.
   */
  locate(create: boolean): string | undefined;
  /** For messages, without side effects: "the key file /home/me/.config/streamalert/keys/....json". */
  describe(): string;
}

/** A key file the user named (STREAMALERT_KEY_FILE): always at that path. */
export function fixedKeyFile(path: string): KeyFileLocation {
  return { locate: () => path, describe: () => `the key file ${path}` };
}

/** Keys in a JSON file outside the project, mode 0600, created on first use with a notice. */
export class FileKeySource implements KeySource {
  readonly #location: KeyFileLocation;
  readonly #notice: (line: string) => void;

  constructor(location: KeyFileLocation, notice: (line: string) => void) {
    this.#location = location;
    this.#notice = notice;
  }

  get description(): string {
    return this.#location.describe();
  }

  load(): Keyring | undefined {
    const path = this.#location.locate(false);
    if (path === undefined || !existsSync(path)) return undefined;
    return readKeyFile(path);
  }

  loadOrCreate(): Keyring {
    const existing = this.load();
    if (existing) return existing;
    const path = this.#location.locate(true)!;
    const key = generateMasterKey();
    // Exclusive, so two processes storing their first secret at once agree on one key.
    if (writeFileExclusive(path, keyFileText([key]), 0o600)) {
      this.#notice(
        `streamalert: created the master key for local secrets at ${path} (mode 0600). ` +
          `Back it up somewhere safe: losing it loses every stored secret.`,
      );
      return { current: key, keys: [key] };
    }
    return readKeyFile(path); // another process created it first: use theirs
  }

  beginRotation(): Keyring {
    const old = this.load();
    if (!old) return this.loadOrCreate();
    const fresh = generateMasterKey();
    const ring = { current: fresh, keys: [fresh, ...old.keys] };
    writeFileAtomic(this.#location.locate(false)!, keyFileText(ring.keys), 0o600);
    return ring;
  }

  finishRotation(ring: Keyring): undefined {
    writeFileAtomic(this.#location.locate(false)!, keyFileText([ring.current]), 0o600);
    return undefined;
  }
}

/** A key file's content holding `keys`, current first. */
export function keyFileText(keys: readonly MasterKey[]): string {
  const content: KeyFileContent = {
    format: 'streamalert-keyring',
    version: 1,
    keys: keys.map((key) => ({ key: key.key.toString('base64'), created: new Date().toISOString() })),
  };
  return `${JSON.stringify(content, null, 2)}\n`;
}

/**
 * The keys in a key file: refused when others can read it, damaged, or not a keyring.
 *
 * @example
 *   readKeyFile('/home/me/.config/streamalert/keys/3f9c....json').current.id  // 'mk-…'
 */
export function readKeyFile(path: string): Keyring {
  // Refuse a key file others can read, as ssh does with private keys: the key must stay private.
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new MasterKeyError(`The key file ${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 '${path}'`);
    }
  }
  let content: KeyFileContent;
  try {
    content = JSON.parse(readFileSync(path, 'utf8')) as KeyFileContent;
  } catch (error) {
    throw new MasterKeyError(`The key file ${path} is damaged (not valid JSON); restore it from your backup`, { cause: error });
  }
  if (content?.format !== 'streamalert-keyring' || !Array.isArray(content.keys) || content.keys.length === 0) {
    throw new MasterKeyError(`The key file ${path} is not a StreamAlert keyring; restore it from your backup`);
  }
  const keys = content.keys.map((entry, index) => parseMasterKey(String(entry?.key), `key ${index + 1} in ${path}`));
  return { current: keys[0]!, keys };
}
