import type { HttpClient, HttpOutcome } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { retry } from '../result.ts';
import type { Step } from '../step.ts';

/** How one Jira REST API differs from the other: where it lives and how it writes rich text. */
export interface JiraDialect {
  /** Under the site's base URL: `rest/api/2` (Data Center) or `rest/api/3` (Cloud). */
  readonly apiPath: string;
  /** The JQL search resource under apiPath, read with GET `jql`, `fields`, `maxResults`. */
  readonly searchResource: string;
  /** The properties holding the Basic auth user and its password or API token. */
  readonly basicAuth: { readonly user: string; readonly password: string };
}

export interface JiraConnection {
  /** The site, e.g. https://jira.example.com or https://example.com/jira (a context path). */
  readonly baseUrl: string;
  /** The `Authorization` header's value. */
  readonly authorization: string;
  /** Credential values, to scrub from every message. */
  readonly secrets: readonly string[];
  /** The attempt's deadline, shared by every request of the attempt. */
  readonly signal?: AbortSignal;
}

/** The most issues a search reads: the phrase search may match similar summaries before the exact one. */
const SEARCH_MAX_RESULTS = 10;

/**
 * The three Jira REST calls the Jira outputs make, each answering a Step; every failure is the
 * shared status table's, from the request that failed.
 * Data Center: https://developer.atlassian.com/server/jira/platform/rest/v10000/intro/
 * Cloud: https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/
 */
export class JiraClient {
  readonly #http: HttpClient;
  readonly #dialect: JiraDialect;
  readonly #connection: JiraConnection;

  constructor(http: HttpClient, dialect: JiraDialect, connection: JiraConnection) {
    this.#http = http;
    this.#dialect = dialect;
    this.#connection = connection;
  }

  /** The key of the first issue `jql` finds whose summary is exactly `summary`, if any. */
  async findIssue(jql: string, summary: string): Promise<Step<string | undefined>> {
    const query = new URLSearchParams({ jql, fields: 'summary', maxResults: String(SEARCH_MAX_RESULTS) });
    const outcome = await this.#send('GET', `${this.#dialect.searchResource}?${query}`);
    if (!outcome.ok) return outcome;
    const issues = parseJsonObject(outcome.response.body)?.issues;
    if (!Array.isArray(issues)) return unreadable('search');
    const match = (issues as unknown[]).find((issue) => fieldsOf(issue)?.summary === summary);
    return { ok: true, value: match === undefined ? undefined : issueKey(match) };
  }

  /**
   * Creates an issue from its `fields`; its key, when the answer gives it. A 201 whose body we
   * cannot read still created the issue: it is not worth a second one.
   */
  async createIssue(fields: Record<string, unknown>): Promise<Step<string | undefined>> {
    const outcome = await this.#send('POST', 'issue', { fields });
    return outcome.ok ? { ok: true, value: issueKey(parseJsonObject(outcome.response.body)) } : outcome;
  }

  /**
   * Adds a comment to an issue; the comment's id, when the answer gives it. A 404 means the issue
   * found a moment ago is gone (deleted, or moved where we may not see it): the next attempt
   * searches again, and creates one.
   */
  async addComment(issue: string, body: unknown): Promise<Step<string | undefined>> {
    const outcome = await this.#send('POST', `issue/${encodeURIComponent(issue)}/comment`, { body }, { 404: { kind: 'retry', reason: 'not_found' } });
    if (!outcome.ok) return outcome;
    const id = parseJsonObject(outcome.response.body)?.id;
    return { ok: true, value: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined };
  }

  #send(method: 'GET' | 'POST', resource: string, json?: unknown, statusOverrides?: Parameters<HttpClient['send']>[0]['statusOverrides']): Promise<HttpOutcome> {
    const { baseUrl, authorization, secrets, signal } = this.#connection;
    return this.#http.send({
      method,
      // Joined as text: an invalid base URL is then reported by the HttpClient as a config failure.
      url: `${baseUrl.replace(/\/+$/, '')}/${this.#dialect.apiPath}/${resource}`,
      headers: { authorization, accept: 'application/json' },
      json,
      statusOverrides,
      secrets: [...secrets, authorization],
      signal,
    });
  }
}

function fieldsOf(issue: unknown): Record<string, unknown> | undefined {
  const fields = (issue as { fields?: unknown } | null)?.fields;
  return typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : undefined;
}

/** An issue's key (`SEC-42`), or its id when the answer has no key. */
function issueKey(issue: unknown): string | undefined {
  const { key, id } = (issue ?? {}) as { key?: unknown; id?: unknown };
  if (typeof key === 'string' && key !== '') return key;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** A 2xx we cannot read (a proxy's page, a cut body): worth another try later. */
function unreadable(what: string): Step<never> {
  return { ok: false, result: retry('server_error', `Jira answered the ${what} with a body that is not the documented JSON`) };
}
