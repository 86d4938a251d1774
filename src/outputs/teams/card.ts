import type { Publication } from '../output.ts';
import { truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * Teams' documented message size, about 28 KB, card included
 * (https://learn.microsoft.com/en-us/connectors/teams/#known-issues-and-limitations), and our
 * cuts within it. The body is built to at most `bodyBytes`, a margin under 28 KB for what
 * the workflow adds around the card it posts. The other cuts keep the parts before the record
 * (title, description, the alert's facts, buttons) to about 20 KB even in 4-byte characters, so
 * the record's facts are the only part that must give way.
 */
export const TEAMS_LIMITS = {
  bodyBytes: 27_000,
  titleChars: 256,
  descriptionChars: 2_000,
  factValueChars: 1_000,
  buttons: 6,
} as const;

/** One `title: value` pair of a FactSet (https://adaptivecards.io/explorer/FactSet.html). */
export interface Fact {
  title: string;
  value: string;
}

type CardElement = Record<string, unknown>;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface TeamsMessage {
  type: 'message';
  attachments: { contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: { type: 'AdaptiveCard'; version: '1.4'; body: CardElement[]; actions?: CardElement[] } & Record<string, unknown> }[];
}

/**
 * One alert as the body a Teams workflow ("Send webhook alerts to a channel") posts: an
 * Adaptive Card 1.4 in a message attachment, as StreamAlert's card laid it out (title, the rule's
 * description, the alert's facts, then the record's top-level fields as facts), with its
 * publisher fields `@teams.title`, `@teams.description`, `@teams.with_record` and
 * `@teams.buttons` ([text, url] pairs). Record facts are added while the body stays within
 * TEAMS_LIMITS.bodyBytes; a last line says how many were left out.
 * https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook
 */
export function buildTeamsMessage(view: AlertText, publication: Publication): TeamsMessage {
  const title = stringField(publication['@teams.title']) ?? `StreamAlert Rule Triggered: ${view.ruleName}`;
  const description = stringField(publication['@teams.description']) ?? view.ruleDescription;
  const body: CardElement[] = [
    { type: 'TextBlock', text: truncateText(title, TEAMS_LIMITS.titleChars), size: 'Medium', weight: 'Bolder', color: 'Attention', wrap: true },
    ...(description ? [{ type: 'TextBlock', text: truncateText(description, TEAMS_LIMITS.descriptionChars), wrap: true }] : []),
    { type: 'FactSet', facts: [fact('rule_name', view.ruleName), fact('alert_id', view.alertId), fact('created', view.created)] },
  ];
  const actions = buttons(publication['@teams.buttons']);
  const message = envelope(body, actions);
  if (publication['@teams.with_record'] !== false) addRecord(message, body, recordFacts(view.record));
  return message;
}

function envelope(body: CardElement[], actions: CardElement[]): TeamsMessage {
  const content = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard' as const,
    version: '1.4' as const,
    // Teams draws a card narrow unless told otherwise; a record reads better at full width.
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

/** Appends the record's heading and as many of its facts as fit, and a note of those that did not. */
function addRecord(message: TeamsMessage, body: CardElement[], facts: Fact[]): void {
  const shown: Fact[] = [];
  body.push({ type: 'TextBlock', text: 'Record', weight: 'Bolder', separator: true, wrap: true }, { type: 'FactSet', facts: shown });
  // Room for the note, whose digits the count bounds.
  let room = TEAMS_LIMITS.bodyBytes - bytes(message) - bytes(omittedNote(facts.length));
  for (const item of facts) {
    const size = bytes(item) + 1;
    if (size > room) break;
    shown.push(item);
    room -= size;
  }
  if (shown.length < facts.length) body.push(omittedNote(facts.length - shown.length));
}

function omittedNote(omitted: number): CardElement {
  return { type: 'TextBlock', text: `(record truncated: ${omitted} more fields not shown)`, isSubtle: true, wrap: true };
}

/** The record's top-level fields as facts (nested values as JSON); a record that is not an object is one fact. */
function recordFacts(record: unknown): Fact[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return [fact('record', valueText(record))];
  return Object.entries(record).map(([key, value]) => fact(key, valueText(value)));
}

function fact(title: string, value: string): Fact {
  return { title: truncateText(title, TEAMS_LIMITS.titleChars), value: truncateText(value, TEAMS_LIMITS.factValueChars) };
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** `@teams.buttons` as Action.OpenUrl, StreamAlert's [text, url] pairs; any other shape, or a URL that is not http(s), is left out. */
function buttons(value: unknown): CardElement[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((pair): pair is [string, string] => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string' && /^https?:\/\/\S+$/.test(pair[1]) && pair[1].length <= 1024)
    .slice(0, TEAMS_LIMITS.buttons)
    .map(([text, url]) => ({ type: 'Action.OpenUrl', title: truncateText(text, 100), url }));
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
