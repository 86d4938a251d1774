import { createHash, randomBytes } from 'node:crypto';
import { MasterKeyError } from './errors.ts';

/** The local backend's key-encryption key: 32 random bytes and a public id derived from them. */
export interface MasterKey {
  /** Recorded in every ciphertext so a reader knows which key sealed it; reveals nothing of the key. */
  readonly id: string;
  readonly key: Buffer;
}

export const MASTER_KEY_BYTES = 32;

/** A new random master key. */
export function generateMasterKey(): MasterKey {
  return masterKeyFrom(randomBytes(MASTER_KEY_BYTES));
}

/**
 * Wraps key bytes with their id. The id is a truncated SHA-256 of the key under a fixed label:
 * stable for the same key (so STREAMALERT_MASTER_KEY needs no separate id) and one-way.
 */
export function masterKeyFrom(key: Buffer): MasterKey {
  const digest = createHash('sha256').update('streamalert master key id\0').update(key).digest('hex');
  return { id: `mk-${digest.slice(0, 16)}`, key };
}

/**
 * Parses one base64 master key; `where` names its origin for the error, which never quotes
 * the value.
 *
 * @example
 *   parseMasterKey(process.env.STREAMALERT_MASTER_KEY!, 'STREAMALERT_MASTER_KEY')
 */
export function parseMasterKey(base64: string, where: string): MasterKey {
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64, so check the text round-trips.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(
      `${where} is not a master key: it must be ${MASTER_KEY_BYTES} random bytes in base64 (44 characters). ` +
        `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return masterKeyFrom(key);
}
