import type { Alert, Severity } from '../../alerts/alert.ts';
import { plainAlertText, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * Opsgenie's documented field limits (characters), Create Alert:
 * https://docs.opsgenie.com/docs/alert-api#create-alert
 */
export const OPSGENIE_LIMITS = {
  messageChars: 130,
  aliasChars: 512,
  descriptionChars: 15_000,
  entityChars: 512,
  sourceChars: 100,
  /** All of `details`' keys and values together. */
  detailsChars: 8_000,
  /** Our choice: each detail value, so that the five of them stay far within detailsChars. */
  detailValueChars: 512,
} as const;

/** Opsgenie's priorities by our severities: P1 critical ... P5 informational. */
const PRIORITY: Readonly<Record<Severity, 'P1' | 'P2' | 'P3' | 'P5'>> = {
  critical: 'P1',
  error: 'P2',
  warning: 'P3',
  info: 'P5',
};

/** The JSON shape of the body built here, for readers of it (tests). */
export interface OpsgenieAlert {
  message: string;
  alias: string;
  description: string;
  priority: 'P1' | 'P2' | 'P3' | 'P5';
  source: 'StreamAlert';
  entity?: string;
  tags: string[];
  details: Record<string, string>;
}

/**
 * One alert as an Opsgenie Create Alert request: the rule as the message, the alert id as the
 * alias (an open alert with the same alias is not created twice: Opsgenie counts the repeat),
 * the rule's description and the record as the description, the priority from the alert's
 * severity, and where the alert came from as the entity and details. Every field is cut to its
 * documented limit.
 */
export function buildOpsgenieAlert(alert: Alert, view: AlertText): OpsgenieAlert {
  const details = Object.fromEntries(
    Object.entries({ rule_name: view.ruleName, log_source: alert.logSource, source_service: alert.sourceService, cluster: alert.cluster, created: view.created })
      .filter(([, value]) => value !== '')
      .map(([key, value]) => [key, truncateText(value, OPSGENIE_LIMITS.detailValueChars)]),
  );
  return {
    message: truncateText(`Rule triggered: ${view.ruleName}`, OPSGENIE_LIMITS.messageChars),
    alias: truncateText(view.alertId, OPSGENIE_LIMITS.aliasChars),
    description: plainAlertText(view, OPSGENIE_LIMITS.descriptionChars),
    priority: PRIORITY[alert.severity],
    source: 'StreamAlert',
    ...(alert.sourceEntity ? { entity: truncateText(alert.sourceEntity, OPSGENIE_LIMITS.entityChars) } : {}),
    tags: ['StreamAlert'],
    details,
  };
}
