import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * The shared leak check: asserts that no secret value appears in anything printable, whether
 * results, errors or log lines, however it is turned into text.
 */
export function expectNoSecrets(secrets: readonly string[], ...things: unknown[]): void {
  for (const thing of things) {
    const renderings = [typeof thing === 'string' ? thing : JSON.stringify(thing) ?? '', inspect(thing, { depth: 10 }), String(thing)];
    if (thing instanceof Error) renderings.push(thing.message, thing.stack ?? '');
    for (const text of renderings) {
      for (const secret of secrets) {
        expect(text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`).toBe(false);
      }
    }
  }
}

/**
 * The ways a server or a file could write a secret down: as is, JSON-escaped (also with `\/`),
 * URL-encoded (`%2F`, `%2f` and the `+` form), hex, and base64 (also base64url) at each of the
 * three byte offsets it may start at inside a longer encoded text. Written apart from the
 * scrubber in src/, so that a form the scrubber misses is a form this finds.
 */
export function secretRenderings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const base64 = [0, 1, 2].map((offset) => {
    // Only the characters that encode the secret's bits alone: the edges mix in their neighbours.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  });
  return [
    secret,
    json,
    json.replaceAll('/', '\\/'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ v: secret }).toString().slice(2),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    ...base64,
    ...base64.map((form) => form.replaceAll('+', '-').replaceAll('/', '_')),
  ];
}

/** Any leaked piece of a rendering that stands for at least this many characters of the secret is found (a secret cut in two, a 30-of-31 leak). */
const FRAGMENT_CHARS = 11;
/** The windows searched for stand for 8 characters of the secret: long enough never to match by chance. */
const WINDOW_CHARS = 8;

/**
 * Where any rendering of any secret, or a piece of one standing for at least 11 characters of
 * the secret, appears: "where contains abc123…" lines, one per secret and place.
 *
 * @example
 *   expect(findLeaks([routingKey], { 'alerts.db': readFileSync(db), stdout: run.stdout })).toEqual([]);
 */
export function findLeaks(secrets: readonly string[], texts: Record<string, Buffer | string>): string[] {
  const leaks: string[] = [];
  for (const [where, content] of Object.entries(texts)) {
    const haystack = Buffer.isBuffer(content) ? content : Buffer.from(content);
    for (const secret of secrets) {
      const pieces = secretRenderings(secret).flatMap((rendering) => windows(rendering, rendering.length / secret.length));
      if (pieces.some((piece) => haystack.includes(piece))) leaks.push(`${where} contains ${secret.slice(0, 6)}…`);
    }
  }
  return leaks;
}

/**
 * Windows of `text`, a rendering with `ratio` characters per character of the secret (2 for
 * hex), placed so that any run standing for FRAGMENT_CHARS of the secret holds one whole.
 */
function windows(text: string, ratio: number): string[] {
  const fragment = Math.ceil(FRAGMENT_CHARS * ratio);
  if (text.length <= fragment) return [text];
  const width = Math.ceil(WINDOW_CHARS * ratio);
  const step = fragment - width;
  const pieces: string[] = [];
  for (let at = 0; at + width <= text.length; at += step) pieces.push(text.slice(at, at + width));
  return pieces;
}
