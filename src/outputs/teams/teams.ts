import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { descriptorProperty, output } from '../registry.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { secretUrlProperty } from '../http/secret-url.ts';
import { alertText } from '../text/alert-text.ts';
import { buildTeamsMessage, TEAMS_LIMITS } from './card.ts';
import { teamsUrlProblem } from './endpoint.ts';

/**
 * Microsoft Teams through Workflows (Power Automate's "When a Teams webhook request is
 * received", the "Send webhook alerts to a channel" template): one Adaptive Card per alert,
 * answered 202 Accepted once the flow has taken the request. StreamAlert's service id and `url`
 * property; its Office 365 connectors are retired, so their URLs are refused at configuration.
 * https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook
 *
 * The shared status table fits the flow trigger's answers: 400 a body it cannot take fails,
 * 401/403 a URL whose signature (`sig=`) is wrong or was regenerated fails as auth, 404 a
 * deleted flow fails as not_found, 429 (the flow's throttling) retries after Retry-After, 5xx retry.
 */
@output
export class TeamsOutput extends JsonWebhookOutput {
  static override readonly service = 'teams';
  static override readonly displayName = 'Microsoft Teams';
  static override readonly properties = {
    descriptor: descriptorProperty('Microsoft Teams', 'name of the Team the webhook relates to'),
    url: secretUrlProperty('the full Teams Workflows webhook url, including its signature', { check: teamsUrlProblem }),
  };
  static override readonly limits = {
    message: { max: TEAMS_LIMITS.bodyBytes, unit: 'bytes', over: 'truncated' },
    // Teams throttles a webhook that sends more than four requests in a second.
    rate: { perSecond: 4, burst: 4 },
    source: 'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook',
  } as const;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    return { url: this.setting('url'), json: buildTeamsMessage(alertText(alert, publication), publication) };
  }
}
