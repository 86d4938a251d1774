import { randomUUID } from 'node:crypto';

/** Severity levels, PagerDuty's Events API v2 set; rules default to `critical`. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type JsonObject = { [key: string]: unknown };

/** An alert: one rule matched one record. Outputs receive it (or its published document). */
export interface Alert {
  /** Unique and stable across retries: outputs use it as their idempotency key. */
  readonly id: string;
  readonly ruleName: string;
  readonly ruleDescription: string;
  readonly record: JsonObject;
  /** `service:descriptor` strings this alert is to be delivered to. */
  readonly outputs: readonly string[];
  readonly created: Date;
  readonly logSource: string;
  readonly logType: string;
  readonly severity: Severity;
  readonly context: JsonObject;
  readonly cluster: string;
  readonly sourceEntity: string;
  readonly sourceService: string;
  readonly staged: boolean;
  readonly publishers: JsonObject;
}

/** The fields a caller must give; everything else has a sensible default. */
export type NewAlert = Pick<Alert, 'ruleName' | 'record'> & Partial<Alert>;

/**
 * Builds an alert, filling defaults (fresh id, now, severity `critical`).
 *
 * @example
 *   createAlert({ ruleName: 'cloudtrail_root_account_usage', record, outputs: ['slack:sec'] })
 */
export function createAlert(fields: NewAlert): Alert {
  return {
    id: randomUUID(),
    ruleDescription: '',
    outputs: [],
    created: new Date(),
    logSource: '',
    logType: '',
    severity: 'critical',
    context: {},
    cluster: '',
    sourceEntity: '',
    sourceService: '',
    staged: false,
    publishers: {},
    ...fields,
  };
}

/**
 * The alert document outputs send by default. It keeps StreamAlert's field names so that
 * consumers of the original (S3 readers, Lambda functions) keep working.
 */
export type AlertDocument = {
  id: string;
  rule_name: string;
  rule_description: string;
  log_source: string;
  log_type: string;
  record: JsonObject;
  outputs: string[];
  created: string;
  context: JsonObject;
  cluster: string;
  source_entity: string;
  source_service: string;
  staged: boolean;
  publishers: JsonObject;
};

/** Converts an alert to StreamAlert's document shape (ISO-8601 UTC `created`). */
export function toAlertDocument(alert: Alert): AlertDocument {
  return {
    id: alert.id,
    rule_name: alert.ruleName,
    rule_description: alert.ruleDescription,
    log_source: alert.logSource,
    log_type: alert.logType,
    record: alert.record,
    outputs: [...alert.outputs],
    created: alert.created.toISOString(),
    context: alert.context,
    cluster: alert.cluster,
    source_entity: alert.sourceEntity,
    source_service: alert.sourceService,
    staged: alert.staged,
    publishers: alert.publishers,
  };
}
