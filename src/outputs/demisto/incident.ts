import type { Alert, Severity } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import { truncateText } from '../text/alert-text.ts';

/**
 * Cortex XSOAR documents no size limit for a created incident, so these bounds are ours: one
 * incident stays under a megabyte of JSON, and no single label swamps the incident's page.
 */
export const DEMISTO_LIMITS = {
  bodyChars: 1_000_000,
  nameChars: 256,
  detailsChars: 10_000,
  labelTypeChars: 256,
  labelValueChars: 2_048,
} as const;

/** XSOAR's severities: 0 unknown, 0.5 informational, 1 low, 2 medium, 3 high, 4 critical. */
const SEVERITY_OF_WORD: Readonly<Record<string, number>> = { unknown: 0, info: 0.5, informational: 0.5, low: 1, med: 2, medium: 2, high: 3, critical: 4 };
const SEVERITY_OF_ALERT: Readonly<Record<Severity, number>> = { info: 0.5, warning: 2, error: 3, critical: 4 };

export interface Label {
  type: string;
  value: string;
}

/** The body of POST /incident, as built here (tests read it). */
export interface DemistoIncident {
  name: string;
  type: string;
  severity: number;
  details: string;
  occurred: string;
  labels: Label[];
  createInvestigation: true;
  owner?: string;
  playbookId?: string;
}

/**
 * One alert as one XSOAR incident, with StreamAlert's publisher overrides: `@demisto.incident_name`,
 * `@demisto.incident_type` (default `Unclassified`), `@demisto.severity` (one of StreamAlert's
 * words; default: the alert's severity), `@demisto.owner`, `@demisto.details` (default: the
 * rule's description), `@demisto.playbook` and `@demisto.label_data` (default: the whole
 * publication, flattened into labels). An investigation is created so that playbooks run.
 * Labels past the body's limit are left out, and a last label says how many.
 */
export function buildIncident(alert: Alert, publication: Publication): DemistoIncident {
  const text = (key: string): string | undefined => (typeof publication[key] === 'string' ? (publication[key] as string) : undefined);
  const severityWord = text('@demisto.severity')?.toLowerCase();
  const incident: DemistoIncident = {
    name: truncateText(text('@demisto.incident_name') ?? alert.ruleName, DEMISTO_LIMITS.nameChars),
    type: text('@demisto.incident_type') ?? 'Unclassified',
    severity: severityWord === undefined ? SEVERITY_OF_ALERT[alert.severity] : (SEVERITY_OF_WORD[severityWord] ?? 0),
    details: truncateText(text('@demisto.details') ?? String(publication.rule_description ?? alert.ruleDescription), DEMISTO_LIMITS.detailsChars),
    occurred: alert.created.toISOString(),
    labels: [],
    createInvestigation: true,
    ...(text('@demisto.owner') ? { owner: text('@demisto.owner') } : {}),
    ...(text('@demisto.playbook') ? { playbookId: text('@demisto.playbook') } : {}),
  };
  incident.labels = fitLabels(flattenLabels(publication['@demisto.label_data'] ?? publication), DEMISTO_LIMITS.bodyChars - JSON.stringify(incident).length);
  return incident;
}

/**
 * A nested value as XSOAR labels, StreamAlert's way: one label per leaf, named by its path
 * (`record.userIdentity.type`, `record.resources[0].ARN`), every value as text (XSOAR takes
 * only strings), sorted by name.
 */
export function flattenLabels(data: unknown): Label[] {
  const labels: Label[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, path ? `${path}.${key}` : key);
    } else {
      labels.push({
        type: truncateText(path, DEMISTO_LIMITS.labelTypeChars),
        value: truncateText(typeof value === 'string' ? value : String(value), DEMISTO_LIMITS.labelValueChars),
      });
    }
  };
  visit(data, '');
  return labels.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** The labels that fit in `roomChars` of JSON, in order; past them one label counts those left out. */
function fitLabels(labels: Label[], roomChars: number): Label[] {
  // Room for the count label itself, so that it always fits too.
  const budget = roomChars - JSON.stringify({ type: 'streamalert.labels_omitted', value: String(labels.length) }).length - 1;
  let used = 0;
  for (let index = 0; index < labels.length; index++) {
    used += JSON.stringify(labels[index]).length + 1;
    if (used > budget) return [...labels.slice(0, index), { type: 'streamalert.labels_omitted', value: String(labels.length - index) }];
  }
  return labels;
}
