import { recordCodeBlock, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * Google Chat's documented limits: a message's text, 4,096 characters
 * (https://developers.google.com/workspace/chat/create-messages), inside a message of at most
 * 32,000 bytes (https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create),
 * which 4,096 characters of any kind fit; a thread key, 4,000 characters. Our cuts for the
 * parts before the record.
 */
export const GOOGLE_CHAT_LIMITS = {
  textChars: 4_096,
  threadKeyChars: 4_000,
  ruleNameChars: 256,
  ruleDescriptionChars: 1_024,
} as const;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface GoogleChatMessage {
  text: string;
  thread: { threadKey: string };
}

/**
 * One alert as one Google Chat webhook message: the rule in bold, its description, the alert
 * id and time, then the record in a code block that fills the rest of the 4,096 characters
 * (saying how much was cut). The thread key is the rule's name, so that the alerts of one rule
 * reply in one thread (with messageReplyOption, see GoogleChatOutput). Mentions (`<users/all>`)
 * in any of it are broken with a zero-width space, so a record cannot ping a space.
 * https://developers.google.com/workspace/chat/format-messages
 */
export function buildGoogleChatMessage(view: AlertText): GoogleChatMessage {
  const heading = `*${inertMentions(truncateText(`Rule triggered: ${view.ruleName}`, GOOGLE_CHAT_LIMITS.ruleNameChars))}*`;
  const description = view.ruleDescription ? `${inertMentions(truncateText(view.ruleDescription, GOOGLE_CHAT_LIMITS.ruleDescriptionChars))}\n` : '';
  const head = `${heading}\n${description}Alert \`${view.alertId}\` created ${view.created}\n`;
  return {
    text: head + recordCodeBlock(inertRecord(view.record), GOOGLE_CHAT_LIMITS.textChars - head.length),
    thread: { threadKey: truncateText(view.ruleName, GOOGLE_CHAT_LIMITS.threadKeyChars) },
  };
}

const MENTION = '<users/';

function inertMentions(text: string): string {
  return text.replaceAll(MENTION, '<\u200busers/');
}

/** The record with mentions broken in every key and value: its JSON text, where `<users/` stays as it is, rewritten. */
function inertRecord(record: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(record);
  } catch {
    return record; // not JSON (a cycle): rendered as it is
  }
  return json?.includes(MENTION) ? JSON.parse(inertMentions(json)) : record;
}
