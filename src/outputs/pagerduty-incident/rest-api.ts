import type { HttpClient, HttpOutcome, HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { parseRetryAfter } from '../http/retry-after.ts';
import { retry, type Failed, type Retry } from '../result.ts';

export const PAGERDUTY_API_URL = 'https://api.pagerduty.com';

/** A resource as PagerDuty's list answers give it: an id, and the fields we match on. */
export interface PagerDutyResource {
  readonly id: string;
  readonly [field: string]: unknown;
}

/** The collections an incident's references are looked up in. */
export type Collection = 'users' | 'escalation_policies' | 'services' | 'priorities';

/** One request's outcome: its value, or the classified result of its failure. */
export type Step<T> = { ok: true; value: T } | { ok: false; result: Retry | Failed };

/**
 * The few calls of PagerDuty's REST API v2 an incident needs, each sent within the attempt's
 * signal with the API token (`Authorization: Token token=...`) and the version's Accept header.
 * https://developer.pagerduty.com/docs/rest-api-v2/authentication/
 */
export class PagerDutyRestApi {
  readonly #http: HttpClient;
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #signal: AbortSignal | undefined;

  constructor(http: HttpClient, baseUrl: string, token: string, signal: AbortSignal | undefined) {
    this.#http = http;
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#signal = signal;
  }

  /**
   * GET /<collection>?query=<query>, the first page: the first resource `matches` accepts. The
   * query is a substring search, so the caller matches the exact email or name itself.
   */
  async find(collection: Exclude<Collection, 'priorities'>, query: string, matches: (resource: PagerDutyResource) => boolean): Promise<Step<PagerDutyResource | undefined>> {
    const listed = await this.list(collection, `?query=${encodeURIComponent(query)}`);
    return listed.ok ? { ok: true, value: listed.value.find(matches) } : listed;
  }

  /** GET /<collection><search>: the resources of the answer's first page. */
  async list(collection: Collection, search = ''): Promise<Step<PagerDutyResource[]>> {
    const outcome = await this.#send({ method: 'GET', url: `${this.#baseUrl}/${collection}${search}` });
    if (!outcome.ok) return outcome;
    const items = parseJsonObject(outcome.response.body)?.[collection];
    if (!Array.isArray(items)) return { ok: false, result: retry('server_error', `PagerDuty answered GET /${collection} with no ${collection} list`) };
    return { ok: true, value: items.filter(isResource) };
  }

  /** POST /incidents as the user `from`: the answer, 2xx or not (a duplicate incident key is a 400 the caller reads). */
  async createIncident(incident: unknown, from: string): Promise<HttpOutcome> {
    return this.#send({ method: 'POST', url: `${this.#baseUrl}/incidents`, json: incident, headers: { from } });
  }

  async #send(request: { method: 'GET' | 'POST'; url: string; json?: unknown; headers?: Record<string, string> }): Promise<HttpOutcome> {
    const outcome = await this.#http.send({
      ...request,
      headers: { accept: 'application/vnd.pagerduty+json;version=2', authorization: `Token token=${this.#token}`, ...request.headers },
      secrets: [this.#token],
      signal: this.#signal,
    });
    return outcome.ok ? outcome : { ...outcome, result: withRateLimitReset(outcome.result, outcome.response) };
  }
}

/**
 * A 429 of the REST API says when to come back in `ratelimit-reset` (seconds), not Retry-After:
 * https://developer.pagerduty.com/docs/rest-api-rate-limits/
 */
function withRateLimitReset(result: Retry | Failed, response: HttpResponse | undefined): Retry | Failed {
  if (result.kind !== 'retry' || result.retryAfterMs !== undefined || response?.status !== 429) return result;
  const reset = response.headers['ratelimit-reset'];
  const waitMs = parseRetryAfter(Array.isArray(reset) ? reset[0] : reset);
  return waitMs === undefined ? result : retry(result.reason, result.message, waitMs);
}

function isResource(value: unknown): value is PagerDutyResource {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}
