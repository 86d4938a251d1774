import type { Alert } from '../../alerts/alert.ts';
import { mergedIdsOf } from '../../merge/settings.ts';
import { updateOf } from '../../noise/settings.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import { slackBodies } from '../slack/bodies.ts';
import { SLACK_SERVICE_LIMITS } from '../slack/message.ts';
import { messageReference, parseMessageReference, postMessageAnswer, type PostedMessage } from './web-api.ts';

const SLACK_API_URL = 'https://slack.com/api';

/**
 * The members of a merged alert whose message a reply is looked for under: the window's first
 * alert, sent on its own (mergeSendFirst), is the oldest, but alerts raised in the same
 * millisecond may sort either way.
 */
const THREAD_CANDIDATES = 3;

/** A channel id (C0123ABCD, G..., D...) or a #name, as chat.postMessage takes them. */
function checkChannel(value: string): string | undefined {
  return /^(?:[CGD][A-Z0-9]{2,31}|#[a-z0-9][a-z0-9._-]{0,79})$/.test(value) ? undefined : 'must be a channel id (e.g. C0123ABCD) or #name (lower-case, as Slack names channels)';
}

/**
 * Slack through the Web API with a bot token: chat.postMessage to one channel, laid out as the
 * `slack` webhook output lays it out (slack/bodies.ts). Slack answers errors with HTTP 200 and
 * `{ok: false, error}` (web-api.ts). The posted message's channel and `ts` are the delivery's
 * reference, and threads follow from them: the parts of an alert too large for one message reply
 * in the first part's thread, and a merged alert replies in the thread of the message its merge
 * group's first alert made through this output (sent on its own with mergeSendFirst), read from
 * the alert store (OutputContext.deliveries).
 * https://api.slack.com/methods/chat.postMessage
 */
@output
export class SlackBotOutput extends OutputBase {
  static override readonly service = 'slack-bot';
  static override readonly displayName = 'Slack (bot token)';
  static override readonly properties = {
    descriptor: descriptorProperty('Slack bot', 'channel, team, etc'),
    channel: property('the Slack channel to post to: its id (e.g. C0123ABCD) or #name; invite the bot to it', { check: checkChannel }),
    token: property('the Slack bot token (xoxb-...)', { secret: true, check: (value) => (value.startsWith('xoxb-') ? undefined : 'must be a bot token, starting with xoxb-') }),
    url: property(`the Slack Web API URL, only to override the default (${SLACK_API_URL})`, { value: SLACK_API_URL, optional: true, url: true, inputRestrictions: [' '] }),
  };
  // The same messages as the webhook's, so the same limits (https://api.slack.com/methods/chat.postMessage#truncating).
  static override readonly limits = SLACK_SERVICE_LIMITS;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const token = this.setting('token');
    const url = `${this.setting('url').replace(/\/+$/, '')}/chat.postMessage`;
    const thread = await this.threadOf(alert);
    let posted: PostedMessage | undefined;
    for (const body of slackBodies(alert, publication)) {
      const replyTo = thread ?? posted;
      const outcome = await this.context.http.send({
        method: 'POST',
        url,
        body: addressed(body, replyTo?.channel ?? this.setting('channel'), replyTo?.ts),
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
        secrets: [token],
        signal: attempt.signal,
      });
      // Parts already posted stay posted; a retry posts every part again (chat.postMessage has no idempotency key).
      if (!outcome.ok) return outcome.result;
      const answer = postMessageAnswer(outcome.response);
      if ('kind' in answer) {
        if (answer.kind !== 'delivered') return answer;
      } else {
        posted ??= answer;
      }
    }
    return delivered(posted && messageReference(posted));
  }

  /**
   * The message a merged alert replies under: the one its merge group's first alert made through
   * this output, when it was sent on its own and delivered. A store that cannot answer costs the
   * thread, never the delivery.
   */
  private async threadOf(alert: Alert): Promise<PostedMessage | undefined> {
    // A dedup window's update (src/noise) replies under the alert the window sent.
    const sent = updateOf(alert);
    const members = mergedIdsOf(alert) ?? (sent === undefined ? undefined : [sent]);
    const { deliveries } = this.context;
    if (!members || !deliveries) return undefined;
    try {
      for (const id of members.slice(0, THREAD_CANDIDATES)) {
        const message = parseMessageReference(await deliveries.deliveredReference(id, this.name));
        if (message) return message;
      }
    } catch {
      // The alert store is locked or throttled: post at the top of the channel instead.
    }
    return undefined;
  }
}

/**
 * `body` (a JSON object's text, from slackBodies) with the channel and, for a reply, the thread
 * added in front: the bodies are written out as text (slack/message.ts), so this adds the keys
 * without parsing them again. Links in records are not unfurled: Slack would fetch them.
 */
function addressed(body: string, channel: string, threadTs: string | undefined): string {
  const thread = threadTs === undefined ? '' : `"thread_ts":${JSON.stringify(threadTs)},`;
  return `{"channel":${JSON.stringify(channel)},${thread}"unfurl_links":false,"unfurl_media":false,${body.slice(1)}`;
}
