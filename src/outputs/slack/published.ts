import type { Publication } from '../output.ts';

/**
 * Limits for publisher-made attachments, StreamAlert's (alert_processor/outputs/slack.py):
 * Slack advises at most 20 attachments a message and 4,000 characters of text.
 * https://api.slack.com/reference/messaging/attachments
 */
export const ATTACHMENT_LIMITS = { attachments: 20, textChars: 4000 } as const;

/** True when publishers laid the message out themselves: it is sent as one message, as they made it. */
export function isPublishedLayout(publication: Publication): boolean {
  return '@slack.attachments' in publication || '@slack.blocks' in publication;
}

/**
 * The one message a publisher laid out: `@slack.text` (else `fallbackText`), `@slack.blocks` as
 * they are, and `@slack.attachments` made fit to send. Nothing else in the publication is sent
 * (`@slack._previous_publication` is for other publishers).
 *
 * @example
 *   publishedMessage({ '@slack.text': 'Rule triggered', '@slack.attachments': [{ title: 'r' }] }, 'Rule triggered: r')
 *   // { text: 'Rule triggered', attachments: [{ color: '#36a64f', mrkdwn_in: ['text', 'pretext'], title: 'r' }] }
 */
export function publishedMessage(publication: Publication, fallbackText: string): Record<string, unknown> {
  const text = publication['@slack.text'];
  const message: Record<string, unknown> = { text: typeof text === 'string' ? text : fallbackText };
  if ('@slack.blocks' in publication) message.blocks = publication['@slack.blocks'];
  if ('@slack.attachments' in publication) message.attachments = standardAttachments(publication['@slack.attachments']);
  return message;
}

/**
 * Attachments as Slack takes them: objects only, at most 20, text elided in the middle past
 * 4,000 characters, Slack's defaults for colour and markdown, and no empty-string fields
 * (StreamAlert's publishers set `image_url: ''` and the like to mean none). StreamAlert's
 * AttachFullRecord names its author `author`; Slack reads `author_name`.
 */
function standardAttachments(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item))
    .slice(0, ATTACHMENT_LIMITS.attachments)
    .map((attachment) => {
      const standard: Record<string, unknown> = { color: '#36a64f', mrkdwn_in: ['text', 'pretext'], ...attachment };
      if (standard.author_name === undefined && typeof standard.author === 'string') standard.author_name = standard.author;
      delete standard.author;
      if (typeof standard.text === 'string') standard.text = elideMiddle(standard.text, ATTACHMENT_LIMITS.textChars);
      return Object.fromEntries(Object.entries(standard).filter(([, field]) => field !== ''));
    });
}

/** `text` cut to `maxChars` by replacing its middle with ` ... `: both ends of a record stay readable. */
function elideMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor((maxChars - 5) / 2);
  return `${text.slice(0, half)} ... ${text.slice(-half)}`;
}
