// StreamAlert's Slack publishers (publishers/community/slack/slack_layout.py): a message of
// legacy attachments, built up by a Summary and the Attach* publishers after it.
// https://api.slack.com/reference/messaging/attachments
import type { Alert } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import { contextString } from './context.ts';
import { publisher, type PublicationDraft } from './publisher.ts';
import { capitalize, htmlEscape, pythonFormat, pythonJsonDumps, urlencode } from './python.ts';
import { presentRuleDescription } from './rule-description.ts';

const LAYOUT = 'publishers.community.slack.slack_layout';

/** The attachments' bar colours, StreamAlert's. */
const COLOR = { summary: '#ff5a5f', publication: '#00d1c1', ruleInfo: '#8ce071', fullRecord: '#7b0051', template: '#ffb400' } as const;

/** Where the Summary's title links: a search for the rule in StreamAlert's repository, as StreamAlert links. */
export interface SummaryLinks {
  titleLink(ruleName: string): string;
  authorLink(author: string): string;
  authorIcon(author: string): string;
}

const STREAMALERT_LINKS: SummaryLinks = {
  titleLink: (ruleName) => `https://github.com/airbnb/streamalert/search?${urlencode({ q: `${ruleName} path:/rules` })}`,
  authorLink: () => '',
  authorIcon: () => '',
};

/**
 * A Summary publisher with links of your own (StreamAlert's way is a subclass overriding
 * `_GITHUB_REPO_URL` or `_title_url`).
 *
 * @example
 *   export const our_summary = slackSummaryPublisher('our_summary', {
 *     titleLink: (rule) => `https://git.example.com/secops/rules/search?q=${encodeURIComponent(rule)}`,
 *   });
 */
export function slackSummaryPublisher(name: string, links: Partial<SummaryLinks> = {}, aliases: readonly string[] = []) {
  const { titleLink, authorLink, authorIcon } = { ...STREAMALERT_LINKS, ...links };
  return publisher(
    name,
    (alert, publication) => {
      const presentation = presentRuleDescription(alert.ruleDescription);
      return {
        '@slack.text': 'Rule triggered',
        '@slack.attachments': [
          {
            fallback: `Rule triggered: ${alert.ruleName}`,
            color: COLOR.summary,
            author_name: presentation.author,
            author_link: authorLink(presentation.author),
            author_icon: authorIcon(presentation.author),
            title: alert.ruleName,
            title_link: titleLink(alert.ruleName),
            text: htmlEscape(presentation.description),
            image_url: '',
            thumb_url: '',
            footer: '',
            footer_icon: '',
            ts: Math.floor(alert.created.getTime() / 1000),
            mrkdwn_in: [],
          },
        ],
        // What came before travels on, for AttachPublication and AttachStringTemplate.
        '@slack._previous_publication': publication,
      };
    },
    { aliases },
  );
}

/**
 * Starts the message: `@slack.text` "Rule triggered" and an attachment with the rule's name
 * (linked), author and description; keeps what came before in `@slack._previous_publication`.
 */
export const slackAttachmentSummary = slackSummaryPublisher('slack_attachment_summary', {}, [`${LAYOUT}.Summary`]);

/** Attaches the rule description's other fields (`reference:`, `playbook:`, `note:`) as attachment fields. */
export const slackAttachRuleInfo = publisher(
  'slack_attach_rule_info',
  (alert, publication) => {
    const { fields } = presentRuleDescription(alert.ruleDescription);
    attachments(publication).push({ color: COLOR.ruleInfo, fields: [...fields].map(([key, value]) => ({ title: capitalize(key), value })) });
    return publication;
  },
  { aliases: [`${LAYOUT}.AttachRuleInfo`] },
);

/**
 * Attaches the publication the Summary received, as indented JSON. Does nothing unless a
 * Summary ran before it.
 */
export const slackAttachPublication = publisher(
  'slack_attach_publication',
  (_alert, publication) => {
    if (!('@slack._previous_publication' in publication) || !('@slack.attachments' in publication)) return publication;
    const text = htmlEscape(`\`\`\`\n${pythonJsonDumps(publication['@slack._previous_publication'])}\n\`\`\``);
    attachments(publication).push({ color: COLOR.publication, title: 'Alert Data:', text, mrkdwn_in: ['text'] });
    return publication;
  },
  { aliases: [`${LAYOUT}.AttachPublication`] },
);

/**
 * Attaches the rule's `context.slack_message_template`, filled in Python's `str.format` style
 * from the publication the Summary received (or the current one): `'{rule_name} fired'`.
 */
export const slackAttachStringTemplate = publisher(
  'slack_attach_string_template',
  (alert, publication) => {
    const template = contextString(alert, 'slack_message_template', '[MISSING TEMPLATE]');
    const previous = publication['@slack._previous_publication'];
    const args = '@slack._previous_publication' in publication ? (isPlainObject(previous) ? previous : {}) : publication;
    const text = htmlEscape(pythonFormat(template, args));
    attachments(publication).push({ color: COLOR.template, text });
    return publication;
  },
  { aliases: [`${LAYOUT}.AttachStringTemplate`] },
);

/** StreamAlert's budget for one attachment's text, less room for the code fence. */
const FULL_RECORD_CHARS = 4000 - 10;

/**
 * Attaches the alert's full record as indented JSON, cut between lines into as many attachments
 * as it needs: the first titled "Record" with the source entity, the last with the alert id and
 * a footer naming the source service.
 */
export const slackAttachFullRecord = publisher(
  'slack_attach_full_record',
  (alert, publication) => {
    const lines = htmlEscape(pythonJsonDumps(alert.record)).split('\n');
    const documents: string[] = [];
    let next = '';
    for (const line of lines) {
      if (next && line.length + next.length > FULL_RECORD_CHARS) {
        documents.push(next);
        next = '';
      }
      next += `\n${line}`;
    }
    if (next) documents.push(next);
    const list = attachments(publication);
    documents.forEach((document, index) => list.push(fullRecordAttachment(alert, document, index === 0, index === documents.length - 1)));
    return publication;
  },
  { aliases: [`${LAYOUT}.AttachFullRecord`] },
);

function fullRecordAttachment(alert: Alert, document: string, isFirst: boolean, isLast: boolean): Record<string, unknown> {
  const service = alert.sourceService;
  return {
    color: COLOR.fullRecord,
    // StreamAlert's key (Slack's own is author_name; the Slack output reads either).
    author: isFirst ? alert.sourceEntity : '',
    title: isFirst ? 'Record' : '',
    text: `\`\`\`\n${document}\n\`\`\``,
    fields: isLast ? [{ title: 'Alert Id', value: alert.id }] : [],
    footer: isLast ? `via <https://console.aws.amazon.com/${service}/home|${service}>` : '',
    footer_icon: '',
    mrkdwn_in: ['text'],
  };
}

/** The publication's `@slack.attachments` list, created empty when missing. */
function attachments(publication: PublicationDraft): unknown[] {
  if (!Array.isArray(publication['@slack.attachments'])) publication['@slack.attachments'] = [];
  return publication['@slack.attachments'] as unknown[];
}
