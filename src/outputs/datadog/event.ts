import type { Severity } from '../../alerts/alert.ts';
import { recordCodeBlock, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * The Events API v1's documented limits (characters): the title 100, the text 4,000 (Datadog
 * keeps only the first 4,000), the aggregation key 100; a tag 200.
 * https://docs.datadoghq.com/api/latest/events/#post-an-event
 * https://docs.datadoghq.com/getting_started/tagging/#define-tags
 */
export const DATADOG_LIMITS = {
  titleChars: 100,
  textChars: 4_000,
  aggregationKeyChars: 100,
  tagChars: 200,
  /** Our choice: the rule's description leaves the rest of the text to the record. */
  ruleDescriptionChars: 1_000,
} as const;

/** Datadog's alert types for our severities: it has no "critical" event. */
const ALERT_TYPE: Readonly<Record<Severity, 'error' | 'warning' | 'info'>> = { critical: 'error', error: 'error', warning: 'warning', info: 'info' };

/** The body of POST /api/v1/events, as built here (tests read it). */
export interface DatadogEvent {
  title: string;
  text: string;
  alert_type: 'error' | 'warning' | 'info';
  aggregation_key: string;
  date_happened: number;
  priority: 'normal';
  tags: string[];
}

export interface DatadogEventFacts {
  severity: Severity;
  created: Date;
  logSource: string;
  /** The output's own tags, from its `tags` property. */
  tags: readonly string[];
}

// Markdown in an event's text is marked by these, and they count in its 4,000 characters.
const MARKDOWN_START = '%%% \n';
const MARKDOWN_END = '\n %%%';

/**
 * One alert as one Datadog event: the rule as its title, its description and the record (in a
 * Markdown code block) as its text, cut to Datadog's limits, the alert type from the severity,
 * and the rule's name as the aggregation key, so that one rule's alerts group together.
 */
export function buildDatadogEvent(view: AlertText, facts: DatadogEventFacts): DatadogEvent {
  const description = view.ruleDescription ? `${truncateText(view.ruleDescription, DATADOG_LIMITS.ruleDescriptionChars)}\n\n` : '';
  const footer = `\n\nAlert ${truncateText(view.alertId, 64)}`;
  const recordChars = DATADOG_LIMITS.textChars - MARKDOWN_START.length - MARKDOWN_END.length - description.length - footer.length;
  const tags = [`rule:${view.ruleName}`, `severity:${facts.severity}`, 'source:streamalert', ...(facts.logSource ? [`log_source:${facts.logSource}`] : []), ...facts.tags];
  return {
    title: truncateText(`Rule triggered: ${view.ruleName}`, DATADOG_LIMITS.titleChars),
    text: MARKDOWN_START + description + recordCodeBlock(view.record, recordChars) + footer + MARKDOWN_END,
    alert_type: ALERT_TYPE[facts.severity],
    aggregation_key: truncateText(view.ruleName, DATADOG_LIMITS.aggregationKeyChars),
    date_happened: Math.floor(facts.created.getTime() / 1000),
    priority: 'normal',
    tags: tags.map((tag) => truncateText(tag, DATADOG_LIMITS.tagChars)),
  };
}
