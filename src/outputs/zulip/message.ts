import { truncateText, type AlertText } from '../text/alert-text.ts';
import { alertBody } from '../text/notification.ts';

/**
 * The send-message API's limits: a topic of at most 60 characters, content of at most 10,000
 * bytes (the server's max_message_length; it cuts a longer message itself, losing its end).
 * https://zulip.com/api/send-message
 */
export const ZULIP_LIMITS = {
  topicChars: 60,
  contentBytes: 10_000,
} as const;

/** The form fields of one stream message, for readers of them (tests). */
export interface ZulipMessage {
  type: 'stream';
  to: string;
  topic: string;
  content: string;
}

/**
 * One alert as one stream message: the rule's name as the topic, so that a rule's alerts
 * gather in one conversation, and the rule's description, the record in a code block and the
 * alert id as the content, in Zulip's Markdown, within 10,000 bytes.
 * https://zulip.com/api/send-message
 */
export function buildZulipMessage(stream: string, view: AlertText): ZulipMessage {
  return {
    type: 'stream',
    to: stream,
    topic: truncateText(view.ruleName, ZULIP_LIMITS.topicChars),
    content: alertBody(view, { max: ZULIP_LIMITS.contentBytes, unit: 'bytes' }, { markdown: true }),
  };
}
