import { printable } from './printable.ts';

const REDACTED = '[secret]';

/** How much of a server's answer a result quotes (an error body), after scrubbing. */
export const SNIPPET_CHARS = 300;

/**
 * Path segments, query values and values to hex- or base64-encode must be at least this long
 * to be scrubbed on their own: shorter ones ("v2", "api") are words, not secrets, and scrubbing
 * them would blank out the rest of the message.
 */
const MIN_PART_CHARS = 8;

/**
 * The part of a URL that is safe to print: scheme, host and port. Paths, queries and
 * user-info often carry the secret (a Slack webhook's path is its credential).
 *
 * @example
 *   safeOrigin('https://hooks.slack.com/services/T0/B0/XXXX') // 'https://hooks.slack.com'
 */
export function safeOrigin(url: string | URL): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Replaces every form of each secret in `text` (e.g. a server's error body) with [secret]: as
 * sent and in each encoding a server may echo it in (see `secretForms`).
 *
 * @example
 *   scrub('no hook at https:\/\/hooks.slack.com\/services\/T0\/B0\/XXXXXXXXXXXX', ['https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXX'])
 *   // 'no hook at [secret]'
 */
export function scrub(text: string, secrets: readonly string[]): string {
  return scrubForms(text, secrets.flatMap(secretForms));
}

export interface ServerTextOptions {
  /** Default SNIPPET_CHARS. */
  maxChars?: number;
  /** Values that may hold a secret (a request URL): scrubbed in every encoding, but not split into parts. */
  exact?: readonly string[];
}

/**
 * Text a server sent, fit to keep in a result (stored, listed, printed): control characters and
 * terminal sequences removed, whitespace collapsed, every form of each secret scrubbed, and
 * only then cut to `maxChars`, so that no secret is cut into a piece the scrubber cannot
 * recognise.
 *
 * @example
 *   serverText('\x1b[31m{"echo":"R0UTINGKEY0000000000000000000000"}', ['R0UTINGKEY0000000000000000000000']) // '{"echo":"[secret]"}'
 */
export function serverText(text: string, secrets: readonly string[], options: ServerTextOptions = {}): string {
  const clean = printable(text).replace(/\s+/g, ' ').trim();
  const forms = [...secrets.flatMap(secretForms), ...(options.exact ?? []).flatMap(encodedForms)];
  return scrubForms(clean, forms).slice(0, options.maxChars ?? SNIPPET_CHARS);
}

/**
 * Every form in which a server may echo `secret`: its encodings (see `encodedForms`) and, for a
 * URL, those of its path and query, of each path segment and query value of at least 8
 * characters (a Slack webhook's path echoed in pieces), and of its user-info. A URL's origin
 * alone is not secret: messages name it (`safeOrigin`).
 *
 * @example
 *   secretForms('https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXX')
 *   // [..., '/services/T0000000/B0000000/XXXXXXXXXXXX', 'services', 'T0000000', 'B0000000', 'XXXXXXXXXXXX', ...]
 */
export function secretForms(secret: string): string[] {
  const url = httpUrl(secret);
  if (!url) return encodedForms(secret);
  const whole = secret.replace(/\/+$/, '') === url.origin ? [] : [secret];
  return [...whole, ...urlParts(url)].flatMap(encodedForms);
}

/**
 * `value` as sent and as a server may re-encode it: JSON-escaped (also with `\/`, as PHP's
 * json_encode writes), URL-encoded (`%2F` and `%2f`, and the form encoding with `+`), and, for
 * values of at least 8 characters, hex and base64 (also base64url) at each of the three byte
 * alignments, so the value is found inside the base64 of a longer text too.
 */
export function encodedForms(value: string): string[] {
  if (value.length < 2) return [];
  const json = JSON.stringify(value).slice(1, -1);
  const uri = encodeURIComponent(value);
  const forms = [value, json, json.replaceAll('/', '\\/'), uri, uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), new URLSearchParams({ v: value }).toString().slice(2)];
  if (value.length >= MIN_PART_CHARS) {
    const bytes = Buffer.from(value, 'utf8');
    const hex = bytes.toString('hex');
    forms.push(hex, hex.toUpperCase());
    for (const base64 of alignedBase64(bytes)) forms.push(base64, base64.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...new Set(forms)];
}

/**
 * The base64 characters that encode only `bytes`, for each offset (0, 1, 2) the bytes may
 * start at inside a longer text: base64 works on groups of 3 bytes, so the same bytes encode
 * differently at each offset, and the characters at the edges mix in their neighbours.
 */
function alignedBase64(bytes: Buffer): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  });
}

function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a secret URL a server may echo apart from the whole: path and query, long segments and values, user-info. */
function urlParts(url: URL): string[] {
  // Query values both as written (Google Chat's token ends in `%3D`) and decoded.
  const rawValues = url.search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1));
  const pieces = [...url.pathname.split('/'), ...rawValues, ...url.searchParams.values()].flatMap((piece) => [piece, decoded(piece)]);
  const userInfo = url.username || url.password ? [decoded(url.username), decoded(url.password), `${decoded(url.username)}:${decoded(url.password)}`] : [];
  return [url.pathname + url.search, ...pieces.filter((piece) => piece.length >= MIN_PART_CHARS), ...userInfo];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces each form, longest first, so that a whole URL goes before its parts. */
function scrubForms(text: string, forms: readonly string[]): string {
  let clean = text;
  for (const form of [...new Set(forms)].sort((a, b) => b.length - a.length)) {
    if (form.length > 1) clean = clean.split(form).join(REDACTED);
  }
  return clean;
}
