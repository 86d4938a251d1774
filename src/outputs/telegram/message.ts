import type { AlertText } from '../text/alert-text.ts';
import { alertBody, alertTitle } from '../text/notification.ts';

/**
 * sendMessage's `text`: 1-4096 characters after entities parsing.
 * https://core.telegram.org/bots/api#sendmessage
 */
export const TELEGRAM_LIMITS = {
  textChars: 4096,
  /** Our choice: the first line names the rule, the rest is the record's. */
  titleChars: 256,
} as const;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface TelegramMessage {
  chat_id: string;
  text: string;
  link_preview_options: { is_disabled: boolean };
}

/**
 * One alert as a sendMessage call, in plain text: no `parse_mode`, so nothing in a record can
 * be taken for markup (an unescaped `<` fails an HTML message with 400 "can't parse entities",
 * and a cut could fall inside a tag) and the 4,096 characters Telegram counts are exactly the
 * ones sent. Link previews are off: a URL in a record is not fetched by Telegram's servers.
 * https://core.telegram.org/bots/api#sendmessage
 */
export function buildTelegramMessage(chatId: string, view: AlertText): TelegramMessage {
  return {
    chat_id: chatId,
    text: alertBody(view, { max: TELEGRAM_LIMITS.textChars, unit: 'characters' }, { heading: alertTitle(view, TELEGRAM_LIMITS.titleChars) }),
    link_preview_options: { is_disabled: true },
  };
}
