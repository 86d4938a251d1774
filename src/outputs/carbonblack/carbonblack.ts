import type { Alert } from '../../alerts/alert.ts';
import { isTestAlert } from '../../alerts/test-alert.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult, type Failed } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { JsonWebhookOutput, type WebhookRequest } from '../http/json-webhook.ts';
import { verifiesTls, verifyTlsProperty } from '../http/verify-tls.ts';
import { BAN_TEXT_CHARS, banFor } from './ban.ts';

/**
 * VMware Carbon Black EDR (CB Response): bans the binary hash an alert's rule names, POST
 * /api/v1/banning/blacklist with the API token in `X-Auth-Token`, answered 200
 * `{"result": "success"}`. A hash already banned is answered 409 Conflict: delivered, since the
 * ban the alert asks for is in place. Posting a hash whose ban was disabled enables it again
 * (what cbapi's BannedHash.save does to enable one).
 * https://github.com/carbonblack/cbapi-python/blob/master/docs/response-examples.rst (Ban a Binary)
 *
 * StreamAlert first looked the binary up and read its ban; this output posts the ban at once,
 * one request whose answer says both (and a hash not seen yet by CB can be banned ahead).
 *
 * The test alert of `output test` bans nothing: it reads GET /api/info, which checks the URL
 * and the token.
 */
@output
export class CarbonBlackOutput extends JsonWebhookOutput {
  static override readonly service = 'carbonblack';
  static override readonly displayName = 'CarbonBlack';
  static override readonly properties = {
    descriptor: descriptorProperty('CarbonBlack', 'server, environment, etc'),
    // As in StreamAlert: kept with the credentials, shown as typed.
    url: property('the CB Response server url, e.g. https://cb.example.com', { credRequirement: true, url: true, inputRestrictions: [' '] }),
    token: property('the CB Response API token of the user the bans are made as', { secret: true }),
    verify_tls: verifyTlsProperty('CB Response server'),
  };
  static override readonly limits = {
    // The ban's note is all of the alert that is sent.
    message: { max: BAN_TEXT_CHARS, unit: 'characters', over: 'truncated' },
    source: 'https://github.com/carbonblack/cbapi-python/blob/master/docs/response-examples.rst',
  } as const;

  override async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    if (!isTestAlert(alert)) return super.dispatch(alert, publication, attempt);
    const outcome = await this.context.http.send({ method: 'GET', ...this.#connection('/api/info'), ignoreSuccessBody: true, signal: attempt.signal });
    return outcome.ok ? delivered('test alert: the server and the token answered; nothing was banned') : outcome.result;
  }

  protected request(alert: Alert): WebhookRequest | Failed {
    const ban = banFor(alert);
    if ('kind' in ban) return ban;
    // 409: "the banned hash already exists" (cbapi's documented ServerError).
    return { ...this.#connection('/api/v1/banning/blacklist'), json: ban, statusOverrides: { 409: { kind: 'delivered' } } };
  }

  protected override delivered(response: HttpResponse): DispatchResult {
    return delivered(response.status === 409 ? 'already banned' : 'banned');
  }

  #connection(path: string) {
    const token = this.setting('token');
    return {
      url: `${this.setting('url').replace(/\/+$/, '')}${path}`,
      headers: { 'x-auth-token': token },
      secrets: [token, this.setting('url')],
      verifyTls: verifiesTls(this.setting('verify_tls')),
    };
  }
}
