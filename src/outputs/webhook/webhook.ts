import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import type { Failed } from '../result.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { secretUrlProperty } from '../http/secret-url.ts';
import { MAX_BODY_BYTES, webhookBody } from './body.ts';
import { parseHeaders } from './headers.ts';
import { signatureFor, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';
import { templateProblem } from './template.ts';

/** `type/subtype` with optional `; name=value` parameters, no line breaks. */
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\r\n]*"|[\w!#$&^.+-]+))*$/;

/**
 * Any HTTP endpoint: one request per alert, the alert document as JSON or a body rendered from a
 * logic-less Mustache template over it (no code runs from configuration), with the configured
 * headers, an `X-StreamAlert-Alert-Id` header a receiver can deduplicate on, and, with a secret,
 * an HMAC-SHA256 signature over a timestamp and the body against forgery and replays
 * (docs/outputs/webhook.md says how to verify it). The shared status table reads the answer.
 */
@output
export class WebhookOutput extends JsonWebhookOutput {
  static override readonly service = 'webhook';
  static override readonly displayName = 'HTTP webhook';
  static override readonly properties = {
    descriptor: descriptorProperty('webhook', 'receiver, service, etc'),
    url: secretUrlProperty('the full URL to send alerts to, including any token in it'),
    method: property('the HTTP method', { value: 'POST', choices: ['POST', 'PUT'] }),
    headers: property('extra HTTP headers as one line of JSON, e.g. {"Authorization":"Bearer ..."} (empty for none)', {
      secret: true,
      optional: true,
      inputRestrictions: [],
      check: (value) => {
        const parsed = parseHeaders(value);
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    }),
    body_template: property('a Mustache template of the body over the alert document, e.g. {"text":"{{rule_name}} on {{record.host}}"} (empty: the alert document as JSON)', {
      optional: true,
      inputRestrictions: [],
      check: templateProblem,
    }),
    content_type: property('the content type of the body', {
      value: 'application/json',
      inputRestrictions: [],
      check: (value) => (value.length <= 256 && CONTENT_TYPE.test(value) ? undefined : 'must be a media type such as application/json or text/plain; charset=utf-8'),
    }),
    hmac_secret: property('a secret to sign each request with, HMAC-SHA256 (empty for none)', { secret: true, optional: true, inputRestrictions: [] }),
  };
  static override readonly limits = {
    message: { max: MAX_BODY_BYTES, unit: 'bytes', over: 'failed' },
    source: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size',
  } as const;

  protected async request(alert: Alert, publication: Publication): Promise<WebhookRequest | Failed> {
    const contentType = this.setting('content_type');
    const body = webhookBody(publication, this.setting('body_template'), contentType);
    if (typeof body !== 'string') return body;
    const configured = this.#configuredHeaders();
    const headers: Record<string, string> = { ...configured, 'content-type': contentType, 'x-streamalert-alert-id': alert.id };
    const secret = this.setting('hmac_secret');
    if (secret !== '') {
      // A fresh timestamp per attempt: a retry is a new request, signed anew.
      const timestamp = Math.floor(Date.now() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = await signatureFor(secret, timestamp, body);
    }
    return {
      url: this.setting('url'),
      method: this.setting('method') === 'PUT' ? 'PUT' : 'POST',
      body,
      headers,
      // A server may echo a header's token alone ("Bearer <token>" -> "<token>"); short words are not secrets.
      secrets: Object.values(configured).flatMap((value) => [value, ...value.split(/\s+/).filter((word) => word.length >= 8)]),
    };
  }

  /** The configured headers; createOutput has checked them, so a value that does not parse is none. */
  #configuredHeaders(): Record<string, string> {
    const text = this.setting('headers');
    if (text === '') return {};
    const parsed = parseHeaders(text);
    return 'headers' in parsed ? parsed.headers : {};
  }
}
