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
    id: timeOrderedUuid(),
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
 * A fresh alert id: a UUID version 7 (RFC 9562), its first 48 bits the time in ms, the other
 * 74 random. Ids made one after another sort one after another, so the alert store's indexes
 * on them grow at one end instead of touching a random page per alert (a quarter of what
 * storing and recording an alert cost in SQLite with version 4 ids).
 *
 * @example
 *   timeOrderedUuid()  // '019ad9f2-6c1e-7a3b-9f41-0c5e2d7b8a90'
 */
export function timeOrderedUuid(now = Date.now()): string {
  // The global Web Crypto, not node:crypto: loading that module costs every command about 5 ms at start.
  const random = crypto.randomUUID();
  const time = now.toString(16).padStart(12, '0');
  // randomUUID gives xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx: the time replaces the first 12 digits, 7 the version.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
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

/** Converts an alert to StreamAlert's document shape (`created` with microseconds, `outputs` sorted, as StreamAlert writes them). */
export function toAlertDocument(alert: Alert): AlertDocument {
  return {
    id: alert.id,
    rule_name: alert.ruleName,
    rule_description: alert.ruleDescription,
    log_source: alert.logSource,
    log_type: alert.logType,
    record: alert.record,
    outputs: [...alert.outputs].sort(),
    created: streamAlertTime(alert.created),
    context: alert.context,
    cluster: alert.cluster,
    source_entity: alert.sourceEntity,
    source_service: alert.sourceService,
    staged: alert.staged,
    publishers: alert.publishers,
  };
}

/**
 * A time as StreamAlert writes an alert's `created` (`%Y-%m-%dT%H:%M:%S.%fZ`: microseconds, UTC).
 * A Date holds milliseconds, so the last three digits are zeros.
 *
 * @example
 *   streamAlertTime(new Date('2026-12-01T10:00:00.123Z'));  // '2026-12-01T10:00:00.123000Z'
 */
export function streamAlertTime(time: Date): string {
  return time.toISOString().replace(/Z$/, '000Z');
}
