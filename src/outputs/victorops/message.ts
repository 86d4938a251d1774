import { plainAlertText, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * Splunk On-Call (VictorOps) REST endpoint fields we fill, and their limits:
 * https://help.victorops.com/knowledge-base/incident-fields-glossary/ gives 20,480 characters
 * for `state_message`; the display name is ours to keep short (it is the incident's title).
 */
export const VICTOROPS_LIMITS = {
  stateMessageChars: 20_480,
  displayNameChars: 256,
} as const;

/** The JSON shape of the body built here, for readers of it (tests). */
export interface VictorOpsAlert {
  message_type: 'CRITICAL';
  entity_id: string;
  entity_display_name: string;
  state_message: string;
  state_start_time: number;
  monitoring_tool: 'StreamAlert';
}

/**
 * One alert as a REST endpoint alert: `CRITICAL` (it opens an incident, as StreamAlert's
 * always did), the alert id as `entity_id` so that a retry joins the incident the first
 * attempt opened instead of opening another, the rule as the display name, and its
 * description and the record as the state message, cut to fit (saying so).
 * https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/
 */
export function buildVictorOpsAlert(view: AlertText, createdMs: number): VictorOpsAlert {
  return {
    message_type: 'CRITICAL',
    entity_id: view.alertId,
    entity_display_name: truncateText(`Rule triggered: ${view.ruleName}`, VICTOROPS_LIMITS.displayNameChars),
    state_message: plainAlertText(view, VICTOROPS_LIMITS.stateMessageChars),
    // Seconds since the epoch, as the REST endpoint takes its times.
    state_start_time: Math.floor(createdMs / 1000),
    monitoring_tool: 'StreamAlert',
  };
}
