/** Where a record is in the input: the n-th record read, and its index among json_path's records. */
export interface RecordPosition {
  /** 1-based, in input order. */
  readonly ordinal: number;
  /** 0-based position among the records extracted from that input record. */
  readonly index: number;
  /** How many records that input record held (1 without json_path). */
  readonly of: number;
  /** The input it was read from (a file name), when the run reads several. */
  readonly input?: string | undefined;
}

/** Something the pipeline counted and the operator should hear about. */
export type PipelineEvent =
  | { readonly kind: 'unclassified'; readonly position: RecordPosition; readonly reason: string }
  /** A record the reader could not take (not JSON, too large, too deep); `reason` names its place. */
  | { readonly kind: 'rejected'; readonly position: RecordPosition; readonly reason: string }
  | { readonly kind: 'rule-error'; readonly rule: string; readonly position: RecordPosition; readonly error: string }
  | { readonly kind: 'dynamic-output-error'; readonly rule: string; readonly position: RecordPosition; readonly error: string };

/** Counters of one run; plain data, ready for a JSON summary. */
export interface PipelineStats {
  /** Input records read, malformed ones included. */
  read: number;
  /** Records after json_path extraction: classified + unclassified. */
  records: number;
  classified: number;
  classifiedByLogType: Record<string, number>;
  unclassified: number;
  /** Input records that are not valid JSON (counted as unclassified too): an error, unlike a valid record no schema fits. */
  unreadable: number;
  /** Unclassified records by reason (the first MAX_REASONS distinct reasons, then 'other reasons'). */
  unclassifiedByReason: Record<string, number>;
  alerts: number;
  alertsByRule: Record<string, number>;
  /** Rules (or their dynamic outputs) that threw or misbehaved on a record. */
  ruleErrors: number;
  ruleErrorsByRule: Record<string, number>;
  /** Rules stopped for running past the time budget on a record, disabled from then on (each also counted as a rule error). */
  stoppedRules: string[];
}

export const MAX_REASONS = 50;
const OTHER_REASONS = 'other reasons';

export function newStats(): PipelineStats {
  return {
    read: 0,
    records: 0,
    classified: 0,
    classifiedByLogType: {},
    unclassified: 0,
    unreadable: 0,
    unclassifiedByReason: {},
    alerts: 0,
    alertsByRule: {},
    ruleErrors: 0,
    ruleErrorsByRule: {},
    stoppedRules: [],
  };
}

/** Adds one to `counts[key]`, folding keys past `maxKeys` into 'other reasons' so a summary stays readable. */
export function bump(counts: Record<string, number>, key: string, maxKeys = Number.POSITIVE_INFINITY): void {
  if (counts[key] !== undefined) counts[key]++;
  else if (Object.keys(counts).length < maxKeys) counts[key] = 1;
  else counts[OTHER_REASONS] = (counts[OTHER_REASONS] ?? 0) + 1;
}

/**
 * A position as people read it.
 *
 * @example
 *   formatPosition({ ordinal: 12, index: 2, of: 5, input: 'trail.json' })  // 'record 12 of trail.json (item 3 of 5)'
 */
export function formatPosition(position: RecordPosition): string {
  const record = position.input === undefined ? `record ${position.ordinal}` : `record ${position.ordinal} of ${position.input}`;
  return position.of > 1 ? `${record} (item ${position.index + 1} of ${position.of})` : record;
}

/** One line describing an event. */
export function describeEvent(event: PipelineEvent): string {
  const where = formatPosition(event.position);
  switch (event.kind) {
    case 'unclassified':
      return `${where} fits no schema: ${event.reason}`;
    case 'rejected':
      return event.reason;
    case 'rule-error':
      return `rule ${event.rule} failed on ${where}: ${event.error}`;
    case 'dynamic-output-error':
      return `rule ${event.rule}, dynamic output on ${where}: ${event.error}`;
  }
}

/**
 * The default event sink: one line per event on stderr, up to `limit` lines, then a single
 * note that further events are only counted (the run's summary has the totals).
 */
export function stderrEvents(limit = 100): (event: PipelineEvent) => void {
  let shown = 0;
  return (event) => {
    if (shown < limit) process.stderr.write(`warning: ${describeEvent(event)}\n`);
    else if (shown === limit) process.stderr.write(`warning: more than ${limit} warnings; the rest are counted in the summary only\n`);
    shown++;
  };
}
