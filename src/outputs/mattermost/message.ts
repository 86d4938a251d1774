import { recordCodeBlock, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * The longest post Mattermost 5.0 and later accept (the server's post size, 16,383 characters;
 * older servers split a longer webhook post into several). We keep an alert to one post.
 * https://developers.mattermost.com/integrate/webhooks/incoming/
 */
export const MATTERMOST_LIMITS = {
  postChars: 16_383,
  /** Our choice: the rule's name and description leave the rest of the post to the record. */
  headingChars: 256,
  ruleDescriptionChars: 2048,
} as const;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface MattermostMessage {
  text: string;
}

/**
 * One alert as the body of one Mattermost incoming-webhook post, in Mattermost's Markdown: a
 * heading naming the rule, its description, the record in a code block (so nothing in it
 * renders or mentions anyone), and the alert id, all within one post.
 * https://developers.mattermost.com/integrate/webhooks/incoming/
 */
export function buildMattermostMessage(view: AlertText): MattermostMessage {
  const heading = `#### ${truncateText(`Rule triggered: ${view.ruleName}`, MATTERMOST_LIMITS.headingChars)}\n`;
  const description = view.ruleDescription ? `${truncateText(view.ruleDescription, MATTERMOST_LIMITS.ruleDescriptionChars)}\n` : '';
  const footer = `\nAlert \`${truncateText(view.alertId, 128)}\` created ${truncateText(view.created, 64)}`;
  const recordChars = MATTERMOST_LIMITS.postChars - heading.length - description.length - footer.length;
  return { text: heading + description + recordCodeBlock(view.record, recordChars) + footer };
}
