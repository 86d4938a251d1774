import { failed, type Failed } from '../result.ts';

/**
 * What stands for a record cut to fit a size limit: the start of its JSON text, and how long
 * the whole was, so a reader sees that it was cut and by how much. It stays an object, as the
 * alert document's `record` always is.
 */
export interface TruncatedRecord {
  streamalert_truncated: true;
  original_bytes: number;
  json_prefix: string;
}

/** The UTF-8 size of a value's JSON text: what a JSON body of it weighs on the wire. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

/**
 * `build(record)` when its JSON text is at most `maxBytes` bytes; otherwise `build` of a
 * TruncatedRecord holding as much of the record's JSON text as fits. Failed as too_large when not
 * even an empty prefix fits (the rest of the body alone is too large): nothing can be sent.
 *
 * @example
 *   fitRecord(alert.record, 800_000, (record) => ({ event: { ...publication, record } }))
 */
export function fitRecord<T>(record: unknown, maxBytes: number, build: (record: unknown) => T): T | Failed {
  const whole = build(record);
  if (jsonBytes(whole) <= maxBytes) return whole;
  const text = JSON.stringify(record) ?? '';
  const cut = (prefix: string) => build({ streamalert_truncated: true, original_bytes: Buffer.byteLength(text), json_prefix: prefix } satisfies TruncatedRecord);
  // The rest of the body weighs the same whatever the prefix: only the prefix's escaped size varies
  // (a character weighs 1 to 6 bytes), so find the longest prefix that fits by halving.
  const room = maxBytes - jsonBytes(cut('')) + jsonBytes('');
  if (room < jsonBytes('')) return failed('too_large', `the alert document is over ${maxBytes} bytes even without its record`);
  let fits = 0;
  let over = Math.min(text.length, room) + 1;
  while (over - fits > 1) {
    const middle = Math.floor((fits + over) / 2);
    if (jsonBytes(text.slice(0, middle)) <= room) fits = middle;
    else over = middle;
  }
  // Never end on half of a surrogate pair (an emoji cut in two).
  const end = fits > 0 && /[\uD800-\uDBFF]/.test(text[fits - 1]!) ? fits - 1 : fits;
  const prefix = text.slice(0, end);
  return cut(prefix);
}
