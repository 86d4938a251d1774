import type { Severity } from '../../alerts/alert.ts';
import { plainAlertText, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * The incident table's field lengths (its dictionary, System Definition > Dictionary):
 * short_description 160 characters, description 4,000 (the default of multi-line text fields:
 * https://www.servicenow.com/docs/r/platform-administration/t_TextFieldCharacterCounter.html),
 * correlation_id 100.
 */
export const SERVICENOW_LIMITS = {
  shortDescriptionChars: 160,
  descriptionChars: 4_000,
} as const;

/** Urgency and impact, 1 (high) to 3 (low): the priority lookup makes critical a P1 and info a P5. */
const URGENCY_IMPACT: Readonly<Record<Severity, { urgency: string; impact: string }>> = {
  critical: { urgency: '1', impact: '1' },
  error: { urgency: '2', impact: '2' },
  warning: { urgency: '2', impact: '3' },
  info: { urgency: '3', impact: '3' },
};

/** The JSON body of the create request, for readers of it (tests). */
export interface IncidentFields {
  short_description: string;
  description: string;
  correlation_id: string;
  correlation_display: string;
  urgency: string;
  impact: string;
}

/**
 * One alert as the fields of a new incident: the rule as its short description, the rule's
 * description and the record as plain text (the field shows no markup), the alert id as the
 * correlation id the output looks incidents up by, and urgency and impact from the severity.
 * https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html
 */
export function incidentFields(view: AlertText, severity: Severity): IncidentFields {
  const footer = `\n\nStreamAlert alert ${view.alertId} created ${truncateText(view.created, 64)}`;
  return {
    short_description: truncateText(`StreamAlert: ${view.ruleName}`, SERVICENOW_LIMITS.shortDescriptionChars),
    description: plainAlertText(view, SERVICENOW_LIMITS.descriptionChars - footer.length) + footer,
    correlation_id: view.alertId,
    correlation_display: 'StreamAlert',
    ...URGENCY_IMPACT[severity],
  };
}
