import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey } from './master-key.ts';

/** AES-256-GCM parameters: a 96-bit nonce (NIST SP 800-38D's recommended size), a 128-bit tag. */
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const FORMAT = 'streamalert-secret';
const VERSION = 1;

/** One AES-256-GCM output: nonce, authentication tag and ciphertext, base64. */
export interface GcmBox {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/**
 * A sealed secret as stored in a file: the payload encrypted under a fresh data key, and that
 * data key encrypted ("wrapped") under the master key named by `kid`. `for` records the
 * `service/descriptor` it was sealed for; it is also bound into both layers as associated
 * data, so a ciphertext copied to another output fails authentication even if `for` is edited.
 */
export interface SealedSecret {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly kid: string;
  readonly for: string;
  readonly key: GcmBox;
  readonly payload: GcmBox;
}

/** Why a sealed secret cannot be opened; the caller turns it into an error naming the output. */
export type OpenFailure =
  | { readonly problem: 'malformed'; readonly detail: string }
  | { readonly problem: 'unknown-key'; readonly kid: string }
  | { readonly problem: 'wrong-owner'; readonly owner: string }
  | { readonly problem: 'authentication' };

/**
 * Encrypts `plaintext` for one owner (`service/descriptor`) under a fresh data key, wrapped by
 * the master key.
 *
 * @example
 *   const sealed = seal(Buffer.from('{"url":"..."}'), keyring.current, 'slack/sec-alerts');
 */
export function seal(plaintext: Uint8Array, master: MasterKey, owner: string): SealedSecret {
  const aad = associatedData(master.id, owner);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    return {
      format: FORMAT,
      version: VERSION,
      kid: master.id,
      for: owner,
      key: gcmEncrypt(master.key, dataKey, aad),
      payload: gcmEncrypt(dataKey, plaintext, aad),
    };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Decrypts a sealed secret for `owner`, choosing the master key by the id it records.
 * Returns the plaintext (the caller zeroes it after use) or why it could not be opened.
 *
 * @example
 *   const opened = open(parseSealed(text), keyring.keys, 'slack/sec-alerts');
 *   if ('problem' in opened) throw ...;
 */
export function open(sealed: unknown, keys: readonly MasterKey[], owner: string): Buffer | OpenFailure {
  const shape = checkShape(sealed);
  if (typeof shape === 'string') return { problem: 'malformed', detail: shape };
  const master = keys.find((candidate) => candidate.id === shape.kid);
  if (!master) return { problem: 'unknown-key', kid: shape.kid };
  // Checked before decrypting only to give a clearer message; authentication below is what
  // actually enforces the binding, since `for` is not itself trusted.
  if (shape.for !== owner) return { problem: 'wrong-owner', owner: shape.for };
  const aad = associatedData(shape.kid, owner);
  const dataKey = gcmDecrypt(master.key, shape.key, aad);
  if (!dataKey || dataKey.length !== KEY_BYTES) return { problem: 'authentication' };
  try {
    return gcmDecrypt(dataKey, shape.payload, aad) ?? { problem: 'authentication' };
  } finally {
    dataKey.fill(0);
  }
}

/** The key id a sealed secret records, or undefined when it is not one. */
export function sealedKeyId(sealed: unknown): string | undefined {
  const shape = checkShape(sealed);
  return typeof shape === 'string' ? undefined : shape.kid;
}

/** Unambiguous associated data: a JSON array cannot be confused across field boundaries. */
function associatedData(kid: string, owner: string): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, VERSION, kid, owner]), 'utf8');
}

function gcmEncrypt(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): GcmBox {
  const iv = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The plaintext, or undefined when authentication fails (wrong key, wrong owner, modified bytes). */
function gcmDecrypt(key: Uint8Array, box: GcmBox, aad: Uint8Array): Buffer | undefined {
  const iv = Buffer.from(box.iv, 'base64');
  const tag = Buffer.from(box.tag, 'base64');
  if (iv.length !== NONCE_BYTES || tag.length !== TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** The sealed secret with its fields checked, or what is wrong with it. */
function checkShape(value: unknown): SealedSecret | string {
  if (typeof value !== 'object' || value === null) return 'not a StreamAlert secret file';
  const candidate = value as Record<string, unknown>;
  if (candidate.format !== FORMAT) return 'not a StreamAlert secret file';
  if (candidate.version !== VERSION) return `unsupported format version ${String(candidate.version)}`;
  if (typeof candidate.kid !== 'string' || typeof candidate.for !== 'string') return 'the key id or owner is missing';
  if (!isBox(candidate.key) || !isBox(candidate.payload)) return 'the ciphertext is incomplete';
  return candidate as unknown as SealedSecret;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBox(value: unknown): value is GcmBox {
  if (typeof value !== 'object' || value === null) return false;
  const box = value as Record<string, unknown>;
  return [box.iv, box.tag, box.data].every((part) => typeof part === 'string' && BASE64.test(part));
}
