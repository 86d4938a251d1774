import { recordCodeBlock, recordPlainText, truncateText, type AlertText } from './alert-text.ts';

/** A vendor's size limit on a message's text: characters (UTF-16 units, never fewer than the vendor counts) or UTF-8 bytes. */
export interface TextLimit {
  readonly max: number;
  readonly unit: 'characters' | 'bytes';
}

export interface AlertBodyOptions {
  /** The record in a Markdown code block (Zulip, Rocket.Chat); otherwise as plain text (Telegram, ntfy, Pushover). */
  readonly markdown?: boolean;
  /** A first paragraph (the title, for a service whose message has none of its own). */
  readonly heading?: string;
  /** The most of the rule's description kept, so that the record keeps the rest. Default 1,024. */
  readonly descriptionChars?: number;
}

/** How many times the record's room shrinks to fit a byte limit: the first pass comes within a few bytes. */
const MAX_FIT_PASSES = 8;

/**
 * "Rule triggered: <rule>" in at most `maxChars`: the title of a notification.
 *
 * @example
 *   alertTitle(view, 250) // 'Rule triggered: cloudtrail_root_account_usage'
 */
export function alertTitle(view: AlertText, maxChars: number): string {
  return truncateText(`Rule triggered: ${view.ruleName}`, maxChars);
}

/**
 * The text of a notification about one alert, within `limit`: the heading if any, the rule's
 * description, the record (readably rendered, cut first, saying how much was not shown), and the
 * alert's id and time last. The push and chat services that take one text (Telegram, ntfy,
 * Pushover, Zulip, Rocket.Chat) differ only in the limit and in whether they show Markdown.
 *
 * @example
 *   alertBody(view, { max: 4096, unit: 'bytes' })
 *   // 'The root account was used\n\neventName: ConsoleLogin\n...\n\nAlert 019a... created 2026-...'
 */
export function alertBody(view: AlertText, limit: TextLimit, options: AlertBodyOptions = {}): string {
  const description = view.ruleDescription ? `${truncateText(view.ruleDescription, options.descriptionChars ?? 1024)}\n\n` : '';
  const head = (options.heading ? `${options.heading}\n\n` : '') + description;
  const id = truncateText(view.alertId, 128);
  const footer = `\n\nAlert ${options.markdown ? `\`${id}\`` : id} created ${truncateText(view.created, 64)}`;
  const record = options.markdown ? recordCodeBlock : recordPlainText;
  let recordChars = limit.max - head.length - footer.length;
  let shown = record(view.record, recordChars);
  for (let pass = 0; pass < MAX_FIT_PASSES && limit.unit === 'bytes'; pass++) {
    const excess = utf8Bytes(head + shown + footer) - limit.max;
    if (excess <= 0) break;
    // Shrink by the excess in characters of the record's own weight (1 to 4 bytes each).
    recordChars -= Math.ceil((excess * shown.length) / Math.max(1, utf8Bytes(shown)));
    shown = record(view.record, recordChars);
  }
  return fitText(head + shown + footer, limit);
}

/**
 * `text` cut to `limit`, ending in an ellipsis when cut, never inside a character.
 *
 * @example
 *   fitText('héllo', { max: 4, unit: 'bytes' }) // 'h…' ('é' is 2 bytes, '…' 3)
 */
export function fitText(text: string, limit: TextLimit): string {
  if (limit.unit === 'characters') return truncateText(text, limit.max);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit.max) return text;
  let end = Math.max(0, limit.max - utf8Bytes('…'));
  // Back to the first byte of a character: continuation bytes are 10xxxxxx.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}…`;
}

/** The length of `text` in UTF-8 bytes, as vendors that count bytes measure it. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
