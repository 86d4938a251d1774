import { recordCodeBlock, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * Discord's documented embed limits (characters):
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * The total counts every title, description, field, footer and author text of all a message's
 * embeds together.
 */
export const DISCORD_LIMITS = {
  titleChars: 256,
  descriptionChars: 4096,
  footerChars: 2048,
  totalEmbedChars: 6000,
  /** Our choice: the rule's description leaves the rest of the embed to the record. */
  ruleDescriptionChars: 1024,
} as const;

/** Discord's "danger" red, as the integer an embed's `color` takes. */
const ALERT_COLOR = 0xed4245;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface DiscordMessage {
  embeds: { title: string; description: string; color: number; footer: { text: string } }[];
  allowed_mentions: { parse: string[] };
}

/**
 * One alert as the body of one Discord webhook execution: an embed titled with the rule, its
 * description then the record in a code block, cut to fit Discord's limits (saying so), and
 * the alert id in the footer. `allowed_mentions` is empty so that text in a record (an
 * `@everyone` in a user agent) never pings a channel.
 * https://discord.com/developers/docs/resources/webhook#execute-webhook
 */
export function buildDiscordMessage(view: AlertText): DiscordMessage {
  const title = truncateText(`Rule triggered: ${view.ruleName}`, DISCORD_LIMITS.titleChars);
  const footer = truncateText(`Alert ${view.alertId} created ${view.created}`, DISCORD_LIMITS.footerChars);
  const descriptionChars = Math.min(DISCORD_LIMITS.descriptionChars, DISCORD_LIMITS.totalEmbedChars - title.length - footer.length);
  const ruleDescription = view.ruleDescription ? `${truncateText(view.ruleDescription, DISCORD_LIMITS.ruleDescriptionChars)}\n\n` : '';
  const description = ruleDescription + recordCodeBlock(view.record, descriptionChars - ruleDescription.length);
  return {
    embeds: [{ title, description, color: ALERT_COLOR, footer: { text: footer } }],
    allowed_mentions: { parse: [] },
  };
}
