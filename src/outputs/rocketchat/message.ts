import type { AlertText } from '../text/alert-text.ts';
import { alertBody, alertTitle } from '../text/notification.ts';

/**
 * Rocket.Chat's default Maximum Allowed Message Size (Administration > Settings > Message):
 * 5,000 characters. We keep an alert's text and attachment together within it.
 * https://docs.rocket.chat/docs/message
 */
export const ROCKETCHAT_LIMITS = {
  messageChars: 5000,
  /** Our choice: the message's text names the rule; the attachment holds the rest. */
  textChars: 256,
} as const;

/** Rocket.Chat's "danger" red for the attachment's side bar. */
const ALERT_COLOR = '#ed4245';

/** The JSON shape of the body built here, for readers of it (tests). */
export interface RocketChatMessage {
  text: string;
  attachments: { text: string; color: string }[];
}

/**
 * One alert as the body of one incoming-webhook post: the message's text names the rule, and
 * one attachment carries the rule's description, the record in a code block and the alert id,
 * in Markdown (attachment text is rendered as Markdown by default). Mentions are read from the
 * message's text only, so an `@all` inside a record notifies no one.
 * https://docs.rocket.chat/docs/integrations#incoming-webhook-script
 */
export function buildRocketChatMessage(view: AlertText): RocketChatMessage {
  const text = alertTitle(view, ROCKETCHAT_LIMITS.textChars);
  const body = alertBody(view, { max: ROCKETCHAT_LIMITS.messageChars - text.length, unit: 'characters' }, { markdown: true });
  return { text, attachments: [{ text: body, color: ALERT_COLOR }] };
}
