import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { parseJsonObject } from '../http/json.ts';
import { alertText } from '../text/alert-text.ts';
import { buildVictorOpsAlert, VICTOROPS_LIMITS } from './message.ts';

/** The placeholder Splunk On-Call shows at the end of the REST endpoint URL it gives. */
const ROUTING_KEY_PLACEHOLDER = /\/\$routing_key\/?$/;

/**
 * Splunk On-Call (VictorOps) REST endpoint integration: one `CRITICAL` alert per alert, POSTed
 * to the integration's URL followed by the routing key, as StreamAlert's `victorops` does.
 * https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/
 *
 * The key in the URL is the credential; StreamAlert's `victorops_api_id` and `victorops_api_key`
 * headers belong to the public API, not to this endpoint, and are not asked for. The shared
 * status table applies; a 2xx whose body says `"result": "failure"` fails with its message.
 */
@output
export class VictorOpsOutput extends JsonWebhookOutput {
  static override readonly service = 'victorops';
  static override readonly displayName = 'Splunk On-Call (VictorOps)';
  static override readonly properties = {
    descriptor: descriptorProperty('VictorOps', 'team, routing key, etc'),
    // URLs contain colons, so only spaces are restricted; the integration key in the path is the credential.
    url: property('the REST endpoint URL of the VictorOps integration, including its key (without the routing key)', { secret: true, url: true, inputRestrictions: [' '] }),
    routing_key: property('the routing key to send alerts to', { secret: true, inputRestrictions: [' ', ':', '/'] }),
  };
  static override readonly limits = {
    message: { max: VICTOROPS_LIMITS.stateMessageChars, unit: 'characters', over: 'truncated' },
    // Splunk On-Call documents no rate limit for the REST endpoint: none is declared.
    source: 'https://help.victorops.com/knowledge-base/incident-fields-glossary/',
  } as const;
  protected override readonly readsSuccessBody = true;

  protected request(alert: Alert, publication: Publication): WebhookRequest {
    const base = this.setting('url').replace(ROUTING_KEY_PLACEHOLDER, '').replace(/\/+$/, '');
    const routingKey = this.setting('routing_key');
    return {
      url: `${base}/${encodeURIComponent(routingKey)}`,
      json: buildVictorOpsAlert(alertText(alert, publication), alert.created.getTime()),
      secrets: [routingKey],
    };
  }

  /** `{"result": "success", "entity_id": ...}`: the entity id is the reference. */
  protected override delivered(response: HttpResponse): DispatchResult {
    const body = parseJsonObject(response.body);
    if (body?.result === 'failure') {
      const message = typeof body.message === 'string' ? body.message : 'no message';
      return failed('client_error', this.redact(`Splunk On-Call answered HTTP ${response.status} with result failure: ${message}`));
    }
    return delivered(typeof body?.entity_id === 'string' && body.entity_id !== '' ? body.entity_id : undefined);
  }
}
