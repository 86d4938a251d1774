import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import type { Failed } from '../result.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { fitRecord } from '../text/fit-record.ts';

/**
 * InsightConnect documents no size limit for an API trigger's event; ours keeps one alert under
 * a megabyte of JSON, which every gateway in front of a workflow engine takes.
 */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Rapid7 InsightConnect (formerly Komand): one event per alert, POST to the workflow's API
 * trigger URL with the body `{"data": <publication>}`, as StreamAlert sends it. The key goes in
 * `Authorization`, as StreamAlert (and Komand's own triggers) sent it, and in `X-API-Key`, which
 * InsightConnect's triggers read when "Require API Key authentication" is on.
 * https://docs.rapid7.com/insightconnect/set-up-an-api-trigger/
 *
 * The shared status table applies: 401 (a trigger that requires a key, given a wrong one) fails
 * as auth, 404 (a deleted trigger) as not_found, 5xx retry.
 */
@output
export class KomandOutput extends JsonWebhookOutput {
  static override readonly service = 'komand';
  static override readonly displayName = 'Komand';
  static override readonly properties = {
    descriptor: descriptorProperty('Komand', 'workflow, team, etc'),
    komand_auth_token: property('the auth token for this Komand integration (an InsightConnect API key). Example: 00000000-0000-0000-0000-000000000000', {
      secret: true,
    }),
    // Secret as in StreamAlert: the trigger's id in the path is what lets anyone start the workflow.
    url: property('the endpoint url for this Komand integration. Example: https://YOUR-KOMAND-HOST.com/v2/triggers/GUID/events', {
      secret: true,
      url: true,
      inputRestrictions: [' '],
    }),
  };
  static override readonly limits = {
    message: { max: MAX_BODY_BYTES, unit: 'bytes', over: 'truncated' },
    source: 'https://docs.rapid7.com/insightconnect/set-up-an-api-trigger/',
  } as const;

  protected request(_alert: Alert, publication: Publication): WebhookRequest | Failed {
    const token = this.setting('komand_auth_token');
    // Over the limit, the record is cut (text/fit-record.ts): the workflow still starts, and sees it was cut.
    const json = fitRecord(publication.record, MAX_BODY_BYTES, (record) => ({ data: { ...publication, record } }));
    if ('kind' in json) return json;
    return { url: this.setting('url'), json, headers: { authorization: token, 'x-api-key': token }, secrets: [token] };
  }
}
