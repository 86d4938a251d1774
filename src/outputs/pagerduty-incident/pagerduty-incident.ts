import type { Alert } from '../../alerts/alert.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { endpointProperty, property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult, type Failed, type Retry } from '../result.ts';
import type { HttpResponse } from '../http/client.ts';
import { parseJsonObject } from '../http/json.ts';
import { alertText } from '../text/alert-text.ts';
import { buildIncident, incidentContext, INCIDENT_LIMITS, type Assignment, type IncidentContext, type Reference } from './incident.ts';
import { PAGERDUTY_API_URL, PagerDutyRestApi, type PagerDutyResource, type Step } from './rest-api.ts';

/** What PagerDuty says, in a 400's errors, when an open incident on the service has the key already. */
const DUPLICATE_KEY = /matching dedup key already exists/i;

/**
 * StreamAlert's `pagerduty-incident`: an incident per alert through PagerDuty's REST API v2,
 * assigned to a user or an escalation policy, with a priority, created as the user `email_from`.
 * https://developer.pagerduty.com/api-reference/a7d81b0e9200f-create-an-incident
 *
 * One attempt makes several requests, in order, each within the attempt's signal: it checks
 * that `email_from` is a user (GET /users), finds the rule's `assigned_user` (GET /users), the
 * escalation policy by name when no id is configured (GET /escalation_policies), the service
 * by name likewise (GET /services) and the rule's `incident_priority` by name (GET /priorities),
 * then creates the incident (POST /incidents) with the alert id as its incident key. A failure at
 * any step ends the attempt with that step's classified result; nothing before the last request
 * changes anything in PagerDuty, so a retry starts afresh safely.
 */
@output
export class PagerDutyIncidentOutput extends OutputBase {
  static override readonly service = 'pagerduty-incident';
  static override readonly displayName = 'PagerDuty (incidents, REST API)';
  static override readonly properties = {
    descriptor: descriptorProperty('PagerDuty', 'service, team, etc'),
    token: property('the REST API token (an account API key, or a user API key) for this PagerDuty integration', { secret: true }),
    service_name: property('the name of the PagerDuty service to open incidents on', { inputRestrictions: [] }),
    service_id: property('the ID of that service (e.g. PDBBCC9, from its URL), or nothing to look it up by its name', { optional: true }),
    escalation_policy: property('the name of the default escalation policy', { inputRestrictions: [] }),
    escalation_policy_id: property('the ID of the default escalation policy (e.g. PDBBBB0), or nothing to look it up by its name', { optional: true }),
    email_from: property('the email of a user on the PagerDuty account, whom incidents are created as (the From header)', { inputRestrictions: [' '] }),
    api: endpointProperty(`the REST API URL, only to override the default (${PAGERDUTY_API_URL}): https://api.eu.pagerduty.com for an account in the EU region`, PAGERDUTY_API_URL),
  };
  static override readonly limits = {
    message: { max: INCIDENT_LIMITS.detailsChars, unit: 'characters', over: 'truncated' },
    // 960 REST requests a minute per API key, and an attempt makes up to six; the Incident
    // Creation API is rate limited further, per account ("human speed").
    rate: { perSecond: 1, burst: 5 },
    source: 'https://developer.pagerduty.com/docs/rest-api-rate-limits/',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const api = new PagerDutyRestApi(this.context.http, this.setting('api'), this.setting('token'), attempt.signal);
    const rule = incidentContext(alert);
    const from = this.setting('email_from');

    const sender = await step('looking up email_from (GET /users)', api.find('users', from, hasEmail(from)));
    if (!sender.ok) return sender.result;
    if (!sender.value) return failed('config', `email_from is not the email of a user on the PagerDuty account (GET /users found none); fix it with 'streamalert output new --service pagerduty-incident --update'`);

    const assignment = await this.#assignment(api, rule);
    if (!assignment.ok) return assignment.result;
    const service = await this.#reference(api, 'services', 'service_reference', this.setting('service_id'), this.setting('service_name'));
    if (!service.ok) return service.result;
    const priority = await this.#priority(api, rule);
    if (!priority.ok) return priority.result;

    const incident = buildIncident(alert, publication, alertText(alert, publication), { service: service.value, assignment: assignment.value, priority: priority.value });
    const outcome = await api.createIncident(incident, from);
    if (outcome.ok) return delivered(readIncidentId(outcome.response));
    // A retry of an alert whose incident the first attempt opened: PagerDuty kept that one.
    if (outcome.response?.status === 400 && DUPLICATE_KEY.test(outcome.response.body)) return delivered();
    return prefixed('creating the incident (POST /incidents)', outcome.result);
  }

  /** The rule's `assigned_user` when PagerDuty has such a user (as StreamAlert: else the policy), or the escalation policy. */
  async #assignment(api: PagerDutyRestApi, rule: IncidentContext): Promise<Step<Assignment>> {
    if (rule.assigned_user) {
      const user = await step('looking up the assigned_user (GET /users)', api.find('users', rule.assigned_user, hasEmail(rule.assigned_user)));
      if (!user.ok) return user;
      if (user.value) return { ok: true, value: { assignments: [{ assignee: { id: user.value.id, type: 'user_reference' } }] } };
    }
    const policyId = rule.assigned_policy_id ?? this.setting('escalation_policy_id');
    const policy = await this.#reference(api, 'escalation_policies', 'escalation_policy_reference', policyId, this.setting('escalation_policy'));
    return policy.ok ? { ok: true, value: { escalation_policy: policy.value } } : policy;
  }

  /** A reference by its configured id, or else by its configured name, looked up; no such name is a configuration failure. */
  async #reference(api: PagerDutyRestApi, collection: 'services' | 'escalation_policies', type: Reference['type'], id: string, name: string): Promise<Step<Reference>> {
    if (id) return { ok: true, value: { id, type } };
    const found = await step(`looking up '${name}' (GET /${collection})`, api.find(collection, name, (resource) => resource.name === name));
    if (!found.ok) return found;
    if (!found.value) return { ok: false, result: failed('config', `PagerDuty has no ${collection.replace('_', ' ')} named '${name}' (GET /${collection} found none); set its ID or fix the name`) };
    return { ok: true, value: { id: found.value.id, type } };
  }

  /** The priority the rule names, if the account has one of that name (as StreamAlert: else none). */
  async #priority(api: PagerDutyRestApi, rule: IncidentContext): Promise<Step<Reference | undefined>> {
    const name = rule.incident_priority;
    if (!name) return { ok: true, value: undefined };
    const priorities = await step('looking up the incident_priority (GET /priorities)', api.list('priorities'));
    if (!priorities.ok) return priorities;
    const found = priorities.value.find((priority) => priority.name === name);
    return { ok: true, value: found ? { id: found.id, type: 'priority_reference' } : undefined };
  }
}

/** A step's outcome, its failure's message saying which step it was. */
async function step<T>(what: string, pending: Promise<Step<T>>): Promise<Step<T>> {
  const outcome = await pending;
  return outcome.ok ? outcome : { ok: false, result: prefixed(what, outcome.result) };
}

function prefixed(what: string, result: Retry | Failed): Retry | Failed {
  return { ...result, message: `${what}: ${result.message}` };
}

function hasEmail(email: string): (user: PagerDutyResource) => boolean {
  return (user) => typeof user.email === 'string' && user.email.toLowerCase() === email.toLowerCase();
}

/** The created incident's id (`{"incident": {"id": ...}}`), our reference. */
function readIncidentId(response: HttpResponse): string | undefined {
  const incident = parseJsonObject(response.body)?.incident;
  const id = typeof incident === 'object' && incident !== null ? (incident as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
