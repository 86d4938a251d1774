/** Our bounds on the configured headers: they are sent with every alert. */
export const HEADER_LIMITS = { count: 32, nameChars: 128, valueChars: 4_096, totalChars: 8_192 } as const;

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible characters, spaces and tabs: no CR or LF (header injection), no other control character. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;

/**
 * Headers the HTTP layer or this output sets: a configured one would contradict it (a wrong
 * Content-Length, a Host other than the URL's) or forge a signature header.
 */
const RESERVED: Readonly<Record<string, string>> = {
  host: 'it comes from url',
  'content-length': 'it is set from the body',
  'transfer-encoding': 'it is set from the body',
  connection: 'connections are pooled',
  'content-type': 'use the content_type property',
  'x-streamalert-signature': 'it is set when hmac_secret is',
  'x-streamalert-timestamp': 'it is set when hmac_secret is',
  'x-streamalert-alert-id': 'it is set from the alert',
};

/**
 * The headers configured as one line of JSON (`{"Authorization":"Bearer ..."}`), or what is
 * wrong with them, worded to follow the property name. Never quotes a value: it may be a secret.
 *
 * @example
 *   parseHeaders('{"X-Api-Key":"abc"}') // { headers: { 'X-Api-Key': 'abc' } }
 *   parseHeaders('{"Host":"x"}')         // { problem: 'may not set Host: it comes from url' }
 */
export function parseHeaders(text: string): { headers: Record<string, string> } | { problem: string } {
  if (text.length > HEADER_LIMITS.totalChars) return { problem: `must be at most ${HEADER_LIMITS.totalChars} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'must be a JSON object of header names to values, e.g. {"Authorization":"Bearer ..."}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'must be a JSON object of header names to values' };
  const entries = Object.entries(parsed);
  if (entries.length > HEADER_LIMITS.count) return { problem: `may set at most ${HEADER_LIMITS.count} headers` };
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    const problem = headerProblem(name, value);
    if (problem) return { problem };
    headers[name] = value as string;
  }
  return { headers };
}

function headerProblem(name: string, value: unknown): string | undefined {
  if (name.length > HEADER_LIMITS.nameChars || !HEADER_NAME.test(name)) return `has a header name that is not a valid HTTP header name (letters, digits and !#$%&'*+.^_\`|~- only, at most ${HEADER_LIMITS.nameChars})`;
  const reserved = RESERVED[name.toLowerCase()];
  if (reserved) return `may not set ${name}: ${reserved}`;
  if (typeof value !== 'string') return `must give header ${name} a string value`;
  if (value.length > HEADER_LIMITS.valueChars) return `must give header ${name} a value of at most ${HEADER_LIMITS.valueChars} characters`;
  if (!HEADER_VALUE.test(value)) return `must give header ${name} a value without line breaks or control characters`;
  return undefined;
}
