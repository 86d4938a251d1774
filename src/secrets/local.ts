import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../config/atomic.ts';
import { open, seal, type SealedSecret } from './envelope.ts';
import { CredentialsError, MasterKeyError, MissingSecretError, outputName, reenterHint, TamperedSecretError, WrongMasterKeyError } from './errors.ts';
import type { Keyring, KeySource } from './keyring.ts';
import { toSecrets } from './values.ts';
import type { Secret } from './secret.ts';
import { rotateEach, type CredentialKey, type CredentialStore, type RotateOptions, type RotationReport } from './store.ts';

export interface LocalStoreOptions {
  /** The project's `.streamalert/secrets` folder: ciphertext only. */
  readonly dir: string;
  readonly keys: KeySource;
}

/**
 * The embedded backend: each output's credentials sealed with AES-256-GCM under a fresh data
 * key, wrapped by a master key kept outside the project (see keyring.ts), one file per output
 * at `<dir>/<service>/<descriptor>.json`, mode 0600, replaced atomically.
 *
 * @example
 *   const store = new LocalCredentialStore({ dir, keys: keySourceFor(projectDir, dir, process.env, console.error) });
 *   await store.put({ service: 'slack', descriptor: 'sec-alerts' }, { url: 'https://hooks.slack.com/...' });
 */
export class LocalCredentialStore implements CredentialStore {
  readonly #dir: string;
  readonly #keys: KeySource;

  constructor(options: LocalStoreOptions) {
    this.#dir = options.dir;
    this.#keys = options.keys;
  }

  async put(key: CredentialKey, values: Readonly<Record<string, string>>): Promise<void> {
    const ring = this.#keys.load() ?? this.#createKey(key);
    const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
    try {
      this.#write(key, seal(plaintext, ring.current, owner(key)));
    } finally {
      plaintext.fill(0);
    }
  }

  async get(key: CredentialKey): Promise<Record<string, Secret>> {
    const sealed = this.#read(key);
    const ring = this.#keys.load();
    if (!ring) {
      throw new MasterKeyError(
        `The credentials of ${outputName(key)} are stored, but there is no master key (${this.#keys.description}). ` +
          `Restore the key file from your backup or set STREAMALERT_MASTER_KEY, or store them again: ${reenterHint(key)}`,
      );
    }
    const plaintext = this.#open(key, sealed, ring);
    try {
      return toSecrets(key, plaintext);
    } finally {
      plaintext.fill(0);
    }
  }

  async delete(key: CredentialKey): Promise<void> {
    rmSync(this.#path(key), { force: true });
  }

  async list(): Promise<CredentialKey[]> {
    return this.#listSync();
  }

  #listSync(): CredentialKey[] {
    if (!existsSync(this.#dir)) return [];
    return readdirSync(this.#dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((serviceDir) =>
        readdirSync(join(this.#dir, serviceDir.name), { withFileTypes: true })
          .filter((file) => file.isFile() && file.name.endsWith('.json'))
          .map((file) => ({ service: decodeName(serviceDir.name), descriptor: decodeName(file.name.slice(0, -'.json'.length)) })),
      )
      .sort((a, b) => outputName(a).localeCompare(outputName(b)));
  }

  async rotate(options: RotateOptions = {}): Promise<RotationReport> {
    const keys = await this.list();
    if (this.#keys.load() === undefined) this.#createKey();
    const ring = this.#keys.beginRotation();
    const { rotated, failed } = await rotateEach(
      keys,
      (key) => {
        const error = this.#reseal(key, ring);
        if (error) throw error;
      },
      options,
    );
    // Older keys are dropped only once no secret can still need them.
    const followUp =
      failed.length === 0
        ? this.#keys.finishRotation(ring)
        : `${failed.length} secret(s) were left as they were, so the older master keys are kept; ` +
          `fix or store those again, then run 'streamalert secrets rotate' again`;
    const target = `master key ${ring.current.id} (${this.#keys.description})`;
    return followUp === undefined ? { target, rotated, failed } : { target, rotated, failed, followUp };
  }

  /**
   * The first master key, as ssh-keygen refuses to overwrite: never while secrets sealed under
   * another key are stored (but the one about to be replaced), which a new key would strand and
   * a restored backup would then fight with.
   */
  #createKey(replacing?: CredentialKey): Keyring {
    const stranded = this.#sealedKids().filter(({ key }) => replacing === undefined || outputName(key) !== outputName(replacing));
    if (stranded.length > 0) {
      const kids = [...new Set(stranded.map(({ kid }) => kid))].join(', ');
      const names = stranded.map(({ key }) => outputName(key)).join(', ');
      throw new MasterKeyError(
        `Refusing to create a new master key: ${stranded.length} stored secret(s) (${names}) are encrypted under master key ${kids}, ` +
          `which a new key could never open. It was expected in ${this.#keys.description}, and that file is missing. Restore it from your ` +
          `backup (or point STREAMALERT_KEY_FILE or STREAMALERT_MASTER_KEY at that key), then run this again. To give those secrets up ` +
          `for good instead, remove their files from ${this.#dir} and store each again with 'streamalert output new ... --update'`,
      );
    }
    return this.#keys.loadOrCreate();
  }

  /** Every stored secret with the id of the master key it was sealed under (unreadable files left out). */
  #sealedKids(): { key: CredentialKey; kid: string }[] {
    return this.#listSync().flatMap((key) => {
      try {
        const { kid } = JSON.parse(readFileSync(this.#path(key), 'utf8')) as { kid?: unknown };
        return typeof kid === 'string' ? [{ key, kid }] : [];
      } catch {
        return [];
      }
    });
  }

  /** Opens one secret with any key of the ring and seals it under the current one. */
  #reseal(key: CredentialKey, ring: Keyring): CredentialsError | undefined {
    try {
      const plaintext = this.#open(key, this.#read(key), ring);
      try {
        this.#write(key, seal(plaintext, ring.current, owner(key)));
      } finally {
        plaintext.fill(0);
      }
      return undefined;
    } catch (error) {
      if (error instanceof CredentialsError) return error;
      throw error; // e.g. the disk refused the write: stop; every secret is still readable
    }
  }

  #open(key: CredentialKey, sealed: unknown, ring: Keyring): Buffer {
    const path = this.#path(key);
    const opened = open(sealed, ring.keys, owner(key));
    if (Buffer.isBuffer(opened)) return opened;
    switch (opened.problem) {
      case 'malformed':
        throw new TamperedSecretError(key, `${path} is ${opened.detail}`);
      case 'unknown-key':
        throw new WrongMasterKeyError(key, opened.kid, ring.keys.map((k) => k.id), this.#keys.description);
      case 'wrong-owner':
        throw new TamperedSecretError(key, `${path} holds the credentials of ${opened.owner.replace('/', ':')}; files were moved, copied or swapped`);
      case 'authentication':
        throw new TamperedSecretError(key, `${path} failed authentication: it was modified, truncated, or copied from another output`);
    }
  }

  #read(key: CredentialKey): unknown {
    const path = this.#path(key);
    if (!existsSync(path)) throw new MissingSecretError(key, path);
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new TamperedSecretError(key, `${path} is truncated or damaged (not valid JSON)`, { cause: error });
    }
  }

  #write(key: CredentialKey, sealed: SealedSecret): void {
    const path = this.#path(key);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileAtomic(path, `${JSON.stringify(sealed, null, 2)}\n`, 0o600);
  }

  #path(key: CredentialKey): string {
    return join(this.#dir, encodeName(key.service), `${encodeName(key.descriptor)}.json`);
  }
}

function owner(key: CredentialKey): string {
  return `${key.service}/${key.descriptor}`;
}

/**
 * A name made safe as one path segment: letters, digits, `_` and `-` kept, every other byte
 * percent-encoded, so a descriptor such as `../x` or `a/b` can never leave its folder.
 */
function encodeName(name: string): string {
  return [...Buffer.from(name, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function decodeName(segment: string): string {
  return decodeURIComponent(segment);
}
