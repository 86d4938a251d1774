import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from '../config/zod.ts';
import { writeFileAtomic } from '../config/atomic.ts';
import { ConfigError } from '../config/errors.ts';

/** A token's recognisable opening, so that a leaked one is easy to find in a scan (as GitHub's `ghp_`). */
export const TOKEN_PREFIX = 'sat_';
/** 32 random bytes: far beyond guessing, which is also why an unsalted SHA-256 is the right hash. */
const TOKEN_BYTES = 32;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const TokensFileSchema = z
  .object({
    tokens: z.array(
      z
        .object({
          name: z.string().regex(NAME),
          /** SHA-256 of the token, hex: the token itself is never stored. */
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
          created: z.iso.datetime(),
        })
        .strict(),
    ),
  })
  .strict();
type TokensFile = z.infer<typeof TokensFileSchema>;

/** What `token list` shows of a token: never any part of the token itself. */
export interface TokenInfo {
  readonly name: string;
  /** ISO 8601. */
  readonly created: string;
}

/**
 * The bearer tokens of `streamalert serve`, in `.streamalert/tokens.json` (mode 0600, written
 * atomically): a name, a creation time and the token's SHA-256, never the token. Reads are
 * cached by the file's identity and modification time, so a server sees a revoke at its next
 * request without re-reading the file on every one.
 *
 * @example
 *   const tokens = new ServeTokens(project.dir);
 *   const token = tokens.create('ci');          // 'sat_...': shown once, never stored
 *   tokens.accepts(token);                      // true, until tokens.revoke('ci')
 */
export class ServeTokens {
  readonly path: string;
  #cache?: { version: string; file: TokensFile; hashes: Buffer[] };

  constructor(projectDir: string) {
    this.path = join(projectDir, '.streamalert', 'tokens.json');
  }

  /** Makes a token named `name`, stores its hash, and returns it: the only time it is seen. */
  create(name: string, now = new Date()): string {
    if (!NAME.test(name)) {
      throw new ConfigError(`'${name}' is not a usable token name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    }
    const file = this.#read();
    if (file.tokens.some((entry) => entry.name === name)) {
      throw new ConfigError(`a token named '${name}' exists already: choose another name, or revoke it first (streamalert token revoke ${name})`);
    }
    const token = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
    this.#write({ tokens: [...file.tokens, { name, sha256: sha256(token).toString('hex'), created: now.toISOString() }] });
    return token;
  }

  /** The tokens' names and creation times, oldest first. */
  list(): TokenInfo[] {
    return this.#read().tokens.map(({ name, created }) => ({ name, created }));
  }

  /** Removes the token named `name`; a server stops accepting it at its next request. Returns false when there is none. */
  revoke(name: string): boolean {
    const file = this.#read();
    const kept = file.tokens.filter((entry) => entry.name !== name);
    if (kept.length === file.tokens.length) return false;
    this.#write({ tokens: kept });
    return true;
  }

  /** Whether any token exists: then every route but /healthz needs one. */
  any(): boolean {
    return this.#current().hashes.length > 0;
  }

  /** Whether `presented` is a current token, compared in constant time over the hashes. */
  accepts(presented: string): boolean {
    return this.holderOf(presented) !== undefined;
  }

  /** The name of the current token `presented` is, if any (see accepts). */
  holderOf(presented: string): string | undefined {
    const presentedHash = sha256(presented);
    const { file, hashes } = this.#current();
    let holder: string | undefined;
    // Every hash is compared, so the time taken says nothing about which one matched.
    hashes.forEach((hash, i) => {
      if (timingSafeEqual(hash, presentedHash)) holder = file.tokens[i]!.name;
    });
    return holder;
  }

  #read(): TokensFile {
    return this.#current().file;
  }

  #current(): { file: TokensFile; hashes: Buffer[] } {
    const version = this.#version();
    if (this.#cache?.version === version) return this.#cache;
    const file = version === 'absent' ? { tokens: [] } : this.#parse();
    this.#cache = { version, file, hashes: file.tokens.map((entry) => Buffer.from(entry.sha256, 'hex')) };
    return this.#cache;
  }

  /** Identifies the file's content without reading it: an atomic write is a new inode. */
  #version(): string {
    try {
      const stat = statSync(this.path, { bigint: true });
      return `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw error;
    }
  }

  #parse(): TokensFile {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${this.path} is not valid JSON (${(error as Error).message}); remove it and create the tokens again (streamalert token create --name NAME)`);
    }
    const parsed = TokensFileSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
      throw new ConfigError(`${this.path} is not valid: ${problems.join('; ')}; remove it and create the tokens again (streamalert token create --name NAME)`);
    }
    return parsed.data;
  }

  #write(file: TokensFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    this.#cache = undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
