import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { failed, retry, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { verifiesTls, verifyTlsProperty } from '../http/verify-tls.ts';
import { buildHecEvent, HEC_MAX_BODY_BYTES } from './event.ts';

const EVENT_PATH = '/services/collector/event';

/**
 * HEC's answer codes that say more than their HTTP status
 * (https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector):
 * an index the token may not write to is the output's configuration, not a bad request; a
 * server busy or unhealthy (its queues full) is worth a retry, as its 503 already says.
 */
const HEC_CODES: Readonly<Record<number, { text: string; reason?: 'config' }>> = {
  1: { text: 'token disabled' },
  2: { text: 'token is required' },
  3: { text: 'invalid authorization' },
  4: { text: 'invalid token' },
  6: { text: 'invalid data format' },
  7: { text: 'incorrect index: the token may not write to the configured index', reason: 'config' },
  8: { text: 'internal server error' },
  9: { text: 'server is busy' },
  18: { text: 'HEC is unhealthy, queues are full' },
};

/**
 * Splunk HTTP Event Collector: one event per alert, POST /services/collector/event with
 * `Authorization: Splunk <token>`, answered 200 `{"text":"Success","code":0}`.
 * https://docs.splunk.com/Documentation/Splunk/latest/Data/HECRESTendpoints
 *
 * The shared status table fits HEC's: 401 and 403 (a token missing, invalid or disabled) fail as
 * auth, 400 fails, 413 (over max_content_length) fails as too_large, 500 and 503 (server busy,
 * code 9; queues full, code 18) retry. No `X-Splunk-Request-Channel` is sent: it is needed only
 * with indexer acknowledgement, which this output does not use (a token with it on answers 400,
 * code 10, "Data channel is missing": turn acknowledgement off for the token).
 */
@output
export class SplunkHecOutput extends JsonWebhookOutput {
  static override readonly service = 'splunk-hec';
  static override readonly displayName = 'Splunk HEC';
  static override readonly properties = {
    descriptor: descriptorProperty('Splunk HEC', 'index, team, etc'),
    url: property('the Splunk HTTP Event Collector url, e.g. https://splunk.example.com:8088 (the event path is added)', { url: true, inputRestrictions: [' '] }),
    token: property('the HTTP Event Collector token', { secret: true }),
    // Sourcetypes hold colons (streamalert:alert): only spaces are restricted.
    sourcetype: property('the sourcetype of the events', { value: 'streamalert:alert', inputRestrictions: [' '] }),
    index: property("the index to write to; empty for the token's default index", { optional: true }),
    host: property("the host field of the events; empty for this machine's name", { optional: true }),
    verify_tls: verifyTlsProperty('Splunk HEC server'),
  };
  static override readonly limits = {
    message: { max: HEC_MAX_BODY_BYTES, unit: 'bytes', over: 'truncated' },
    source: 'https://docs.splunk.com/Documentation/Splunk/latest/Admin/Limitsconf',
  } as const;

  protected request(alert: Alert, publication: Publication): WebhookRequest | Failed {
    const token = this.setting('token');
    const json = buildHecEvent(alert, publication, { sourcetype: this.setting('sourcetype'), index: this.setting('index'), host: this.setting('host') });
    if ('kind' in json) return json;
    return { url: eventUrl(this.setting('url')), json, headers: { authorization: `Splunk ${token}` }, secrets: [token], verifyTls: verifiesTls(this.setting('verify_tls')) };
  }

  protected override refused(result: Retry | Failed, response: HttpResponse | undefined): DispatchResult {
    const code = parseJsonObject(response?.body ?? '')?.code;
    const known = typeof code === 'number' ? HEC_CODES[code] : undefined;
    if (!known) return result;
    const message = `${result.message} (HEC code ${code}: ${known.text})`;
    if (known.reason) return failed(known.reason, message);
    return result.kind === 'retry' ? retry(result.reason, message, result.retryAfterMs) : failed(result.reason, message);
  }
}

/** The event endpoint under the configured URL, unless the URL already names a collector endpoint. */
function eventUrl(configured: string): string {
  const base = configured.replace(/\/+$/, '');
  return base.includes('/services/collector') ? base : `${base}${EVENT_PATH}`;
}
