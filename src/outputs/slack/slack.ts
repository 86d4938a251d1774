import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import { slackBodies } from './bodies.ts';
import { SLACK_SERVICE_LIMITS } from './message.ts';

const JSON_CONTENT = { 'content-type': 'application/json' };

/**
 * Slack incoming webhooks. https://api.slack.com/messaging/webhooks
 *
 * The shared status table already fits Slack's documented webhook errors
 * (https://api.slack.com/messaging/webhooks#handling_errors): 400 invalid_payload and
 * 403 action_prohibited fail, 404 channel_not_found and 410 channel_is_archived fail as
 * not_found, 500 rollup_error retries, and 429 retries after its Retry-After
 * (https://api.slack.com/docs/rate-limits#incoming-webhooks).
 *
 * Publishers may replace the layout, with StreamAlert's fields and Block Kit's: `@slack.attachments`
 * and `@slack.blocks` make one message of them as they are (with `@slack.text` its text);
 * `@slack.text` alone replaces the headline of our own layout, as it replaces StreamAlert's.
 */
@output
export class SlackOutput extends OutputBase {
  static override readonly service = 'slack';
  static override readonly displayName = 'Slack';
  static override readonly properties = {
    descriptor: descriptorProperty('Slack', 'channel, group, etc'),
    // URLs contain colons, so only spaces are restricted (as in StreamAlert).
    url: property('the full Slack webhook url, including the secret', { secret: true, url: true, inputRestrictions: [' '] }),
  };
  static override readonly limits = SLACK_SERVICE_LIMITS;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const url = this.setting('url');
    for (const body of slackBodies(alert, publication)) {
      const outcome = await this.context.http.send({ method: 'POST', url, body, headers: JSON_CONTENT, ignoreSuccessBody: true, secrets: [url], signal: attempt.signal });
      // Parts already posted stay posted; a retry re-sends every part (webhooks have no idempotency key).
      if (!outcome.ok) return outcome.result;
    }
    return delivered();
  }
}
