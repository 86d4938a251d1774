import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { alertText } from '../text/alert-text.ts';
import { buildSlackMessages } from './message.ts';
import { isPublishedLayout, publishedMessage } from './published.ts';

/**
 * The JSON body of each Slack message one alert makes, the same for the webhook (`slack`) and
 * the Web API (`slack-bot`): a publisher's own layout (`@slack.attachments`, `@slack.blocks`) as
 * one message, or ours (message.ts), with `@slack.text` as its headline when a publisher set one.
 *
 * @example
 *   slackBodies(alert, toAlertDocument(alert)) // ['{"text":"Rule triggered: ...","blocks":[...]}']
 */
export function slackBodies(alert: Alert, publication: Publication): string[] {
  if (isPublishedLayout(publication)) return [JSON.stringify(publishedMessage(publication, `Rule triggered: ${alert.ruleName}`))];
  const headline = publication['@slack.text'];
  return buildSlackMessages({
    ...(typeof headline === 'string' && headline !== '' ? { headline } : {}),
    ...alertText(alert, publication),
  });
}
