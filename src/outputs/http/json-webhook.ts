import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { delivered, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from './client.ts';
import type { StatusOverrides } from './status.ts';

/** The one request a JSON webhook output makes for an alert. */
export interface WebhookRequest {
  /** The full URL; it is scrubbed from every message as a credential (a webhook's path often is one). */
  readonly url: string;
  /** The body, sent as JSON; or else `body`, sent as it is (its content-type in `headers`). */
  readonly json?: unknown;
  readonly body?: string;
  readonly method?: 'POST' | 'PUT';
  readonly headers?: Record<string, string>;
  /** Credential values in the request besides the URL (a token in a header), to scrub from messages. */
  readonly secrets?: readonly string[];
  /** The vendor's exceptions to the shared status table. */
  readonly statusOverrides?: StatusOverrides;
  /** Verify the server's TLS certificate (default true): off only by the user's `verify_tls` (http/verify-tls.ts). */
  readonly verifyTls?: boolean;
}

/**
 * The base of outputs that send one JSON request per alert and differ only in where and in the
 * body's shape (Discord, Mattermost, Teams, Google Chat ...): a subclass declares its properties,
 * its `limits` and `request`; the base sends it within the attempt's deadline and reads the answer
 * with the shared status table, every credential scrubbed from what it says.
 *
 * A vendor that says more in its answer overrides `delivered` (an id to keep as the reference;
 * set `readsSuccessBody`) or `refused` (a retry hint in a 429's body).
 *
 * @example
 *   @output
 *   export class GoogleChatOutput extends JsonWebhookOutput {
 *     static override readonly service = 'google-chat';
 *     ...
 *     protected request(alert: Alert, publication: Publication): WebhookRequest {
 *       return { url: this.setting('url'), json: buildChatMessage(alertText(alert, publication)) };
 *     }
 *   }
 */
export abstract class JsonWebhookOutput extends OutputBase {
  /** Read a 2xx answer's body for `delivered` (off: the status is the answer, the body is skipped). */
  protected readonly readsSuccessBody: boolean = false;

  /** The request for an alert; or, when none can be made of it (a body over the limit), the result to return unsent. */
  protected abstract request(alert: Alert, publication: Publication): WebhookRequest | Failed | Promise<WebhookRequest | Failed>;

  /** The result of a 2xx answer. */
  protected delivered(_response: HttpResponse): DispatchResult {
    return delivered();
  }

  /** The result of an answer the status table did not take as delivered (already classified). */
  protected refused(result: Retry | Failed, _response: HttpResponse | undefined): DispatchResult {
    return result;
  }

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const request = await this.request(alert, publication);
    if ('kind' in request) return request;
    const outcome = await this.context.http.send({
      method: request.method ?? 'POST',
      url: request.url,
      json: request.json,
      body: request.body,
      headers: request.headers,
      statusOverrides: request.statusOverrides,
      ignoreSuccessBody: !this.readsSuccessBody,
      secrets: [request.url, ...(request.secrets ?? [])],
      verifyTls: request.verifyTls,
      signal: attempt.signal,
    });
    return outcome.ok ? this.delivered(outcome.response) : this.refused(outcome.result, outcome.response);
  }
}
