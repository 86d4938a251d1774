const REDACTED = '[secret]';

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

/** Replaces every occurrence of each secret in `text` (e.g. a server's error body). */
export function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length > 0) clean = clean.split(secret).join(REDACTED);
  }
  return clean;
}
