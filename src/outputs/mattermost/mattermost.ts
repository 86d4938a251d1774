import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import { alertText } from '../text/alert-text.ts';
import { buildMattermostMessage } from './message.ts';

/**
 * Mattermost incoming webhooks: one JSON post per alert, answered 200 `ok`.
 * https://developers.mattermost.com/integrate/webhooks/incoming/
 *
 * The shared status table fits: 400 (data Mattermost cannot parse, or an unknown hook) fails,
 * 403 (incoming webhooks turned off by the system admin) fails as auth, 404 as not_found, 429
 * (the server's optional rate limiting) retries after its Retry-After, 5xx retry.
 */
@output
export class MattermostOutput extends OutputBase {
  static override readonly service = 'mattermost';
  static override readonly displayName = 'Mattermost';
  static override readonly properties = {
    descriptor: descriptorProperty('Mattermost', 'channel, team, etc'),
    // URLs contain colons, so only spaces are restricted; the hook id in the path is the credential.
    url: property('the full Mattermost incoming webhook url, including the hook id', { secret: true, url: true, inputRestrictions: [' '] }),
  };

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const url = this.setting('url');
    const message = buildMattermostMessage(alertText(alert, publication));
    const outcome = await this.context.http.send({ method: 'POST', url, json: message, ignoreSuccessBody: true, secrets: [url], signal: attempt.signal });
    return outcome.ok ? delivered() : outcome.result;
  }
}
