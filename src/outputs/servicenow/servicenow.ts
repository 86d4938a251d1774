import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, retry, type DispatchResult } from '../result.ts';
import type { HttpOutcome } from '../http/client.ts';
import { basicAuthorization } from '../http/basic-auth.ts';
import { parseJsonObject } from '../http/json.ts';
import type { Step } from '../step.ts';
import { alertText } from '../text/alert-text.ts';
import { incidentFields, SERVICENOW_LIMITS } from './incident.ts';

const INCIDENTS = 'api/now/table/incident';
/** Only what the reference needs comes back, not the whole record. */
const FIELDS = 'sys_id,number';

/**
 * ServiceNow incidents through the Table API, with Basic auth
 * (https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html).
 *
 * ServiceNow does not deduplicate on correlation_id by itself: a second POST with the same one
 * is a second incident. So one attempt first looks the alert's incident up by correlation_id
 * and creates it only when there is none: a retry after a lost answer finds the incident the
 * first attempt made. Either request's failure ends the attempt with its own result.
 *
 * Answers: 200 (lookup) and 201 (create) with `{"result": ...}`; 401 (User Not Authenticated) and
 * 403 (an ACL) fail as auth; 400 fails; 429 (an admin's rate limit rule) retries after its
 * Retry-After. A 2xx that is not that JSON (a hibernating developer instance answers with an HTML
 * page) retries: the lookup makes the next attempt safe.
 */
@output
export class ServiceNowOutput extends OutputBase {
  static override readonly service = 'servicenow';
  static override readonly displayName = 'ServiceNow';
  static override readonly properties = {
    descriptor: descriptorProperty('ServiceNow', 'instance, team, etc'),
    url: property('the ServiceNow instance url, e.g. https://acme.service-now.com', { url: true, inputRestrictions: [' '] }),
    username: property('the ServiceNow user (with the itil role, or rights to read and create incidents)'),
    password: property("the ServiceNow user's password", { secret: true, inputRestrictions: [] }),
  };
  static override readonly limits = {
    message: { max: SERVICENOW_LIMITS.descriptionChars, unit: 'characters', over: 'truncated' },
    // No default REST rate limit: an admin's rate limit rules (System Web Services > REST > Rate
    // Limits) answer 429 with Retry-After, which the shared status table honours.
    source: 'https://www.servicenow.com/docs/r/platform-administration/t_TextFieldCharacterCounter.html',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const send = (method: 'GET' | 'POST', query: Record<string, string>, json?: unknown) => this.#send(method, query, json, attempt.signal);
    const existing = readRecord(await send('GET', { sysparm_query: `correlation_id=${alert.id}`, sysparm_fields: FIELDS, sysparm_limit: '1' }), 'lookup');
    if (!existing.ok) return existing.result;
    if (existing.value) return delivered(existing.value);
    const created = readRecord(await send('POST', { sysparm_fields: FIELDS }, incidentFields(alertText(alert, publication), alert.severity)), 'create');
    return created.ok ? delivered(created.value) : created.result;
  }

  #send(method: 'GET' | 'POST', query: Record<string, string>, json: unknown, signal: AbortSignal | undefined): Promise<HttpOutcome> {
    const authorization = basicAuthorization(this.setting('username'), this.setting('password'));
    return this.context.http.send({
      method,
      url: `${this.setting('url').replace(/\/+$/, '')}/${INCIDENTS}?${new URLSearchParams(query)}`,
      headers: { authorization, accept: 'application/json' },
      json,
      secrets: [...this.secretValues(), authorization],
      signal,
    });
  }
}

/**
 * The incident's `number/sys_id` from a Table API answer: `{"result": [record]}` for a lookup
 * (undefined when it found none), `{"result": record}` for a create.
 */
function readRecord(outcome: HttpOutcome, what: 'lookup' | 'create'): Step<string | undefined> {
  if (!outcome.ok) return outcome;
  const result = parseJsonObject(outcome.response.body)?.result;
  const record = (Array.isArray(result) ? result[0] : result) as { sys_id?: unknown; number?: unknown } | undefined;
  if (what === 'lookup' && Array.isArray(result) && record === undefined) return { ok: true, value: undefined };
  if (typeof record?.sys_id !== 'string') {
    return { ok: false, result: retry('server_error', `ServiceNow answered the incident ${what} with a body that is not the Table API's JSON (a hibernating instance?)`) };
  }
  return { ok: true, value: typeof record.number === 'string' ? `${record.number}/${record.sys_id}` : record.sys_id };
}
