import type { HttpClient, HttpOutcome } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { serverText } from '../http/redact.ts';
import { failed, retry, type Failed, type Retry } from '../result.ts';

/** One step of a dispatch: a value to go on with, or the result to return now. */
export type Step<T> = { ok: true; value: T } | { ok: false; result: Retry | Failed };

/** A created record, or the existing one SOAR named instead (`duplicate`). */
export interface Created {
  id: number;
  duplicate: boolean;
}

export interface SoarConnection {
  /** The SOAR base URL, e.g. https://soar.example.com (a secret: it may carry a path). */
  baseUrl: string;
  authToken: string;
  verifyTls: boolean;
  /** The attempt's deadline, shared by every request of the attempt. */
  signal?: AbortSignal;
}

/**
 * The few Splunk SOAR (Phantom) REST calls the output needs, each answering a Step.
 * https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference
 *
 * SOAR publishes no status table, so the shared one applies unchanged. Its answers are
 * `{"id": N, "success": true}` on a create and `{"failed": true, "message": ...}` on an error. A
 * create that collides with an existing record names it instead: `existing_container_id`
 * (https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/container-endpoints/rest-containers)
 * or `existing_artifact_id` (read by Splunk's own SOAR app, "add artifact":
 * https://github.com/splunk-soar-connectors/phantom/blob/main/src/actions/add_artifact.py).
 * Neither source fixes the status of that answer, so it is recognised by its body, whatever
 * the status.
 */
export class SoarClient {
  readonly #http: HttpClient;
  readonly #connection: SoarConnection;
  readonly #secrets: string[];

  constructor(http: HttpClient, connection: SoarConnection) {
    this.#http = http;
    this.#connection = connection;
    // The whole base URL: its path (a tenant) is scrubbed as a whole and in parts.
    this.#secrets = [connection.authToken, connection.baseUrl];
  }

  /**
   * The newest container with exactly this name, if any. Filter values are Python-style
   * literals, strings in double quotes (JSON's escaping is compatible), then URL-encoded.
   * https://help.splunk.com/en/splunk-soar/soar-cloud/rest-api-reference/using-the-splunk-soar-rest-api/query-for-data
   */
  async findContainer(name: string): Promise<Step<number | undefined>> {
    const query = { _filter_name: JSON.stringify(name), sort: 'id', order: 'desc', page_size: '1' };
    return this.#firstId(await this.#send('GET', 'rest/container', query), 'container lookup');
  }

  /** Creates a container; a duplicate answer gives the existing one. */
  async createContainer(container: Record<string, unknown>): Promise<Step<Created>> {
    return this.#created(await this.#send('POST', 'rest/container', undefined, container), 'container', 'existing_container_id');
  }

  /** The artifact of this container with this source_data_identifier, if an earlier attempt left one. */
  async findArtifact(containerId: number, sourceDataIdentifier: string): Promise<Step<number | undefined>> {
    const query = { _filter_container: String(containerId), _filter_source_data_identifier: JSON.stringify(sourceDataIdentifier), page_size: '1' };
    return this.#firstId(await this.#send('GET', 'rest/artifact', query), 'artifact lookup');
  }

  /** Creates an artifact; a duplicate answer gives the existing one. */
  async createArtifact(artifact: Record<string, unknown>): Promise<Step<Created>> {
    return this.#created(await this.#send('POST', 'rest/artifact', undefined, artifact), 'artifact', 'existing_artifact_id');
  }

  #send(method: 'GET' | 'POST', path: string, query?: Record<string, string>, json?: unknown): Promise<HttpOutcome> {
    // Joined as text: an invalid base URL is then reported by the HttpClient as a config failure.
    const search = query ? `?${new URLSearchParams(query)}` : '';
    return this.#http.send({
      method,
      url: `${this.#connection.baseUrl.replace(/\/+$/, '')}/${path}${search}`,
      headers: { 'ph-auth-token': this.#connection.authToken },
      json,
      secrets: this.#secrets,
      verifyTls: this.#connection.verifyTls,
      signal: this.#connection.signal,
    });
  }

  /** Reads a list answer `{"count": N, "data": [{"id": ...}]}`. */
  #firstId(outcome: HttpOutcome, what: string): Step<number | undefined> {
    if (!outcome.ok) return outcome;
    const body = parseJsonObject(outcome.response.body);
    if (!body || !Array.isArray(body.data)) return this.#unexpected(what);
    const [first] = body.data as unknown[];
    if (first === undefined) return { ok: true, value: undefined };
    const id = recordId((first as Record<string, unknown> | null)?.id);
    return id === undefined ? this.#unexpected(what) : { ok: true, value: id };
  }

  #created(outcome: HttpOutcome, what: string, existingKey: string): Step<Created> {
    const body = outcome.response ? parseJsonObject(outcome.response.body) : undefined;
    const existing = recordId(body?.[existingKey]);
    if (existing !== undefined) return { ok: true, value: { id: existing, duplicate: true } };
    if (!outcome.ok) return outcome;
    const id = recordId(body?.id);
    if (id !== undefined) return { ok: true, value: { id, duplicate: false } };
    if (body?.failed === true) {
      return { ok: false, result: failed('client_error', `SOAR refused the ${what}: ${serverText(String(body.message ?? 'no message'), this.#secrets)}`) };
    }
    return this.#unexpected(`${what} creation`);
  }

  /** A 2xx we cannot read (a proxy's page, a truncated body): worth another try later. */
  #unexpected(what: string): Step<never> {
    return { ok: false, result: retry('server_error', `SOAR answered the ${what} with a body that is not the documented JSON`) };
  }
}

function recordId(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
