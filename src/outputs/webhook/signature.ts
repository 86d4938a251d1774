/** The headers a receiver verifies the body and its freshness with (docs/outputs/webhook.md). */
export const SIGNATURE_HEADER = 'X-StreamAlert-Signature';
export const TIMESTAMP_HEADER = 'X-StreamAlert-Timestamp';

const encoder = new TextEncoder();

/**
 * The signature header's value for `body` sent at `timestamp` (Unix seconds):
 * `sha256=` and the hex HMAC-SHA256, keyed with `secret`, of `<timestamp>.<body>`. The timestamp
 * is signed with the body so that a receiver can refuse an old request replayed as it was.
 *
 * @example
 *   await signatureFor('s3cret', 1764633600, '{"id":"a"}') // 'sha256=6f0c...'
 */
export async function signatureFor(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`));
  return `sha256=${Buffer.from(mac).toString('hex')}`;
}
