import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { endpointProperty, property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { jsonPath, jsonReference } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { withBodyRetryAfter } from '../http/retry-after.ts';
import { alertText } from '../text/alert-text.ts';
import { buildTelegramMessage, TELEGRAM_LIMITS } from './message.ts';

export const TELEGRAM_API_URL = 'https://api.telegram.org';

/**
 * Telegram Bot API: one sendMessage per alert, POST <api>/bot<token>/sendMessage, answered
 * `{"ok":true,"result":{"message_id":...}}`; the message id is the reference.
 * https://core.telegram.org/bots/api#making-requests
 *
 * The shared status table fits the documented error codes: 400 (chat not found, bad request)
 * fails, 401 a revoked token and 403 a bot blocked or removed from the chat fail as auth, 429
 * retries after `parameters.retry_after` seconds in its body (Telegram sends no Retry-After
 * header), 5xx retry. A 400 saying the group became a supergroup names the new chat id.
 * https://core.telegram.org/bots/api#responseparameters
 */
@output
export class TelegramOutput extends JsonWebhookOutput {
  static override readonly service = 'telegram';
  static override readonly displayName = 'Telegram';
  static override readonly properties = {
    descriptor: descriptorProperty('Telegram', 'chat, group, etc'),
    // Tokens look like 123456789:AAH...: a colon is part of them.
    bot_token: property('the bot token @BotFather gave the bot', { secret: true, inputRestrictions: [' '] }),
    chat_id: property('the chat to post to: its id (e.g. -1001234567890) or a channel @username'),
    url: endpointProperty('the Bot API server url, only to override the default (a self-hosted Bot API server)', TELEGRAM_API_URL),
  };
  static override readonly limits = {
    message: { max: TELEGRAM_LIMITS.textChars, unit: 'characters', over: 'truncated' },
    // At most one message a second in a chat, and 20 a minute in a group.
    rate: { perSecond: 20 / 60, burst: 1 },
    source: 'https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this',
  } as const;

  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const token = this.setting('bot_token');
    return {
      // The token is in the path: the base scrubs the whole URL, and the token in every encoding.
      url: `${this.setting('url').replace(/\/+$/, '')}/bot${token}/sendMessage`,
      json: buildTelegramMessage(this.setting('chat_id'), alertText(alert, publication)),
      secrets: [token],
    };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    return delivered(jsonReference(response.body, 'result', 'message_id'));
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    const newChatId = jsonPath(response?.body ?? '', 'parameters', 'migrate_to_chat_id');
    if (typeof newChatId === 'number') {
      return failed('config', this.redact(`the group became a supergroup with chat id ${newChatId}: set chat_id to it with 'streamalert output new --service telegram --update'`));
    }
    return withBodyRetryAfter(result, response, 'parameters', 'retry_after');
  }
}
