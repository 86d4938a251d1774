import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { plainAlertText, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * PagerDuty documents no length limit for an incident's title or body; these are ours, so
 * that a huge record never makes a request PagerDuty may refuse: the title as long as an
 * Events API summary may be, the body's details long enough for most records.
 * https://developer.pagerduty.com/docs/rest-api-v2/incident-creation-api/
 */
export const INCIDENT_LIMITS = {
  titleChars: 1024,
  detailsChars: 16_384,
} as const;

/** What a rule may ask of this output in its context, under `pagerduty-incident` (StreamAlert's keys). */
export interface IncidentContext {
  /** The email of the user to assign the incident to; the escalation policy when there is no such user. */
  assigned_user?: string;
  /** The escalation policy to assign the incident to, instead of the output's. */
  assigned_policy_id?: string;
  /** A priority's name ('P1'); left out when the account has no priority of that name. */
  incident_priority?: string;
  /** false: the body has the rule's description only, not the record. */
  with_record?: boolean;
}

/** The rule context's `pagerduty-incident` entry, keeping only values of the right type. */
export function incidentContext(alert: Alert): IncidentContext {
  const entry = alert.context['pagerduty-incident'];
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return {};
  const fields = entry as Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined);
  return {
    assigned_user: text('assigned_user'),
    assigned_policy_id: text('assigned_policy_id'),
    incident_priority: text('incident_priority'),
    with_record: fields.with_record === false ? false : undefined,
  };
}

/** A reference to a PagerDuty resource, as the incident's fields take them. */
export interface Reference {
  id: string;
  type: 'service_reference' | 'escalation_policy_reference' | 'user_reference' | 'priority_reference';
}

/** Whom the incident goes to: a user, or else an escalation policy (PagerDuty takes one of the two). */
export type Assignment = { assignments: { assignee: Reference }[] } | { escalation_policy: Reference };

/** The JSON shape of the body built here, for readers of it (tests). */
export interface IncidentRequest {
  incident: {
    type: 'incident';
    title: string;
    service: Reference;
    incident_key: string;
    body: { type: 'incident_body'; details: string };
    urgency?: 'high' | 'low';
    priority?: Reference;
    /** One of the two, as Assignment says. */
    assignments?: { assignee: Reference }[];
    escalation_policy?: Reference;
  };
}

/**
 * The Create Incident request for an alert. The incident key is the alert id: PagerDuty refuses
 * a second incident with the key of an open one on the service, so a retry cannot open two.
 * StreamAlert's publisher fields set the title (`@pagerduty-incident.incident_title`), the body
 * (`.incident_body`) and the urgency (`.urgency`, `high` or `low`).
 * https://developer.pagerduty.com/api-reference/a7d81b0e9200f-create-an-incident
 */
export function buildIncident(
  alert: Alert,
  publication: Publication,
  view: AlertText,
  references: { service: Reference; assignment: Assignment; priority?: Reference },
): IncidentRequest {
  const published = (key: string) => {
    const value = publication[`@pagerduty-incident.${key}`];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const urgency = published('urgency');
  const withRecord = incidentContext(alert).with_record !== false;
  const details = published('incident_body') ?? (withRecord ? plainAlertText(view, INCIDENT_LIMITS.detailsChars) : view.ruleDescription);
  return {
    incident: {
      type: 'incident',
      title: truncateText(published('incident_title') ?? `StreamAlert Incident - Rule triggered: ${view.ruleName}`, INCIDENT_LIMITS.titleChars),
      service: references.service,
      incident_key: alert.id,
      body: { type: 'incident_body', details: truncateText(details, INCIDENT_LIMITS.detailsChars) },
      ...(urgency === 'high' || urgency === 'low' ? { urgency } : {}),
      ...(references.priority ? { priority: references.priority } : {}),
      ...references.assignment,
    },
  };
}
