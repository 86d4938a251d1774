import { escapeMrkdwn, renderRecord, splitText } from './render.ts';

/**
 * Slack's documented limits, and the part budget we choose within them.
 * - A section block's text: at most 3,000 characters.
 *   https://api.slack.com/reference/block-kit/blocks#section
 * - A header block's text: at most 150 characters.
 *   https://api.slack.com/reference/block-kit/blocks#header
 * - At most 50 blocks in one message. https://api.slack.com/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  sectionChars: 3000,
  headerChars: 150,
  /** Record sections per message: 4 x 3,000 keeps each message near Slack's 12k guidance. */
  recordSectionsPerMessage: 4,
  /** Past this many messages the record is cut and the last message says so. */
  maxMessages: 5,
} as const;

/**
 * The limits both Slack outputs declare (`slack`, `slack-bot`: the same messages). Slack
 * truncates a message's text past 40,000 characters
 * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages); our messages stay
 * far below (3,000 characters a section, four record sections a message): a larger record is
 * split across up to five messages, then cut, saying so. About one message per second per
 * channel, short bursts allowed (webhooks and chat.postMessage alike,
 * https://api.slack.com/methods/chat.postMessage#rate_limiting): a burst of five lets one
 * alert's parts go out together.
 */
export const SLACK_SERVICE_LIMITS = {
  message: { max: 40_000, unit: 'characters', over: 'split' },
  rate: { perSecond: 1, burst: 5 },
  source: 'https://api.slack.com/apis/rate-limits',
} as const;

const FENCE = '```';
/** Room for the code fences and newlines around each record chunk. */
const RECORD_CHUNK_CHARS = SLACK_LIMITS.sectionChars - 2 * (FENCE.length + 1);

/** The JSON shape of the messages built here, for readers of their bodies (tests, publishers). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

export interface SlackAlertView {
  /** A publisher's `@slack.text` (mrkdwn, sent as it is): replaces the "Rule triggered" header. */
  headline?: string;
  ruleName: string;
  ruleDescription: string;
  record: unknown;
  alertId: string;
  created: string;
}

/**
 * Lays one alert out as one or more Slack messages and returns their JSON bodies: a header
 * naming the rule, the rule's description, then the record in code blocks, split across
 * messages when it is too large for one, and cut (saying so) past `maxMessages`.
 *
 * The JSON is written out block by block rather than built as objects and serialised: on the
 * delivery hot path that halves the cost of a message.
 */
export function buildSlackMessages(view: SlackAlertView): string[] {
  const chunks = splitText(escapeMrkdwn(renderRecord(view.record)), RECORD_CHUNK_CHARS);
  const perMessage = SLACK_LIMITS.recordSectionsPerMessage;
  const maxChunks = perMessage * SLACK_LIMITS.maxMessages;
  const shown = chunks.slice(0, maxChunks);
  const omittedChars = chunks.slice(maxChunks).reduce((sum, chunk) => sum + chunk.length, 0);

  const parts: string[][] = [];
  for (let i = 0; i < shown.length; i += perMessage) parts.push(shown.slice(i, i + perMessage));

  return parts.map((part, index) => {
    const partLabel = parts.length > 1 ? ` (part ${index + 1} of ${parts.length})` : '';
    const title = view.headline === undefined ? `Rule triggered: ${view.ruleName}${partLabel}` : `${view.headline}${partLabel}`;
    const blocks = [view.headline === undefined ? headerBlock(truncate(title, SLACK_LIMITS.headerChars)) : sectionBlock(truncate(title, SLACK_LIMITS.sectionChars))];
    if (index === 0 && view.ruleDescription) {
      blocks.push(sectionBlock(truncate(escapeMrkdwn(view.ruleDescription), SLACK_LIMITS.sectionChars)));
    }
    for (const chunk of part) blocks.push(sectionBlock(`${FENCE}\n${chunk}\n${FENCE}`));
    const notes = [`Alert \`${view.alertId}\` created ${view.created}`];
    if (index === parts.length - 1 && omittedChars > 0) {
      notes.push(`:warning: Record truncated: ${omittedChars} more characters not shown (Slack message limit).`);
    }
    blocks.push(contextBlock(notes));
    const text = view.headline === undefined ? escapeMrkdwn(title) : title;
    return `{"text":${quote(text)},"blocks":[${blocks.join(',')}]}`;
  });
}

const quote = JSON.stringify;

function headerBlock(text: string): string {
  return `{"type":"header","text":{"type":"plain_text","text":${quote(text)}}}`;
}

function sectionBlock(mrkdwn: string): string {
  return `{"type":"section","text":{"type":"mrkdwn","text":${quote(mrkdwn)}}}`;
}

function contextBlock(mrkdwn: readonly string[]): string {
  return `{"type":"context","elements":[${mrkdwn.map((text) => `{"type":"mrkdwn","text":${quote(text)}}`).join(',')}]}`;
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
