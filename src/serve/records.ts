import type { IncomingMessage } from 'node:http';
import type { Alert } from '../alerts/alert.ts';
import { ConfigError } from '../config/errors.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import type { InputConfig } from '../input/config.ts';
import { InputError } from '../input/errors.ts';
import { readRecordBatches } from '../input/reader.ts';
import type { Logger } from '../observability/log.ts';
import type { ServeMetrics } from '../observability/metrics.ts';
import { describeEvent, type PipelineEvent } from '../pipeline/events.ts';
import { alertSource } from '../pipeline/source.ts';
import { Pipeline, type PipelineParts } from '../pipeline/pipeline.ts';
import type { AlertStore, SaveOutcome } from '../store/alert-store.ts';
import { requestBody } from './body.ts';
import { RequestError } from './errors.ts';

/** Rejected lines listed in an answer; past this they are only counted. */
const MAX_LISTED_LINES = 100;
/** Rule errors logged per request; the rest are counted in the answer. */
const MAX_LOGGED_EVENTS = 10;

export interface RecordsParts {
  /** Schemas, rules and outputs, loaded once; each request gets its own counters. */
  readonly pipeline: PipelineParts;
  readonly store: AlertStore;
  readonly engine: Pick<DeliveryEngine, 'pump'>;
  readonly metrics: ServeMetrics;
  readonly log: Logger;
  readonly maxBodyBytes: number;
  /** conf/global.json `input`: the record size limit holds for bodies as for files (gzip bodies are bounded by maxBodyBytes). */
  readonly input: InputConfig;
}

/** The 202 answer to `POST /v1/records`: the request's counters, and the input lines that were not JSON. */
export interface RecordsAnswer {
  read: number;
  records: number;
  classified: number;
  unclassified: number;
  alerts: number;
  /** Of those alerts, the ones noise control stored without sending them, by reason (src/noise). */
  suppressed: SaveOutcome['suppressed'];
  /** Input records rejected (not valid JSON, larger than input.maxRecordBytes, nested too deep): skipped, the others processed. */
  rejected: number;
  /** Their line numbers in NDJSON bodies (the first 100); `unclassified_reasons` counts them by why. */
  rejected_lines: number[];
  unclassified_reasons: Record<string, number>;
}

/**
 * `POST /v1/records[?log_type=T]`: a JSON array or NDJSON body (plain or gzip), streamed through
 * the classifier and rules. The alerts are stored together, in one save, once the whole body has
 * been read and processed: a request either gets a 202 (its rejected records named) with all of
 * its alerts stored, or an error with none stored (a body over `serve.maxBodyBytes`, a client
 * gone mid-body, anything that throws). Then the engine is woken to deliver them.
 *
 * @example
 *   const answer = await acceptRecords(request, new URL(request.url!, 'http://serve'), parts, 'ingest');  // { read: 3, alerts: 1, rejected: 0, ... }
 */
export async function acceptRecords(request: IncomingMessage, url: URL, parts: RecordsParts, caller?: string): Promise<RecordsAnswer> {
  const logType = url.searchParams.get('log_type') ?? undefined;
  const run = pipelineFor(parts, logType);
  // The token's name says who sent the records, as a stream's name does on AWS.
  run.source = alertSource('http', caller ?? 'unauthenticated');
  const alerts: Alert[] = [];
  const rejectedLines: number[] = [];
  let rejected = 0;
  try {
    const options = { maxRecordBytes: parts.input.maxRecordBytes, source: 'the body', textLines: run.classifier.readsText };
    for await (const batch of readRecordBatches(requestBody(request, parts.maxBodyBytes), options)) {
      for (const item of batch) {
        if (item.error !== undefined) {
          rejected++;
          if (item.line !== undefined && rejectedLines.length < MAX_LISTED_LINES) rejectedLines.push(item.line);
        }
      }
      await run.prepare(batch);
      alerts.push(...run.processBatch(batch));
    }
  } catch (error) {
    if (error instanceof InputError) throw new RequestError(400, `${error.message}; nothing of this request was stored`, { cause: error });
    throw error;
  }
  const { suppressed } = alerts.length > 0 ? await parts.store.save(alerts) : { suppressed: {} };
  if (alerts.length > 0) void parts.engine.pump();
  parts.metrics.countRecords(run.stats, logType);
  const { read, records, classified, unclassified } = run.stats;
  return { read, records, classified, unclassified, alerts: run.stats.alerts, suppressed, rejected, rejected_lines: rejectedLines, unclassified_reasons: run.stats.unclassifiedByReason };
}

/** A pipeline with this request's counters; an unknown log type is the client's error (400), found before the body is read. */
function pipelineFor(parts: RecordsParts, logType: string | undefined): Pipeline {
  try {
    return new Pipeline({ ...parts.pipeline, onEvent: ruleErrorsTo(parts.log), ...(logType === undefined ? {} : { logType }) });
  } catch (error) {
    if (error instanceof ConfigError) throw new RequestError(400, error.message, { cause: error });
    throw error;
  }
}

/** Logs a request's rule errors (the operator's to fix), the first few only; unclassified records are the client's, in its answer. */
function ruleErrorsTo(log: Logger): (event: PipelineEvent) => void {
  let logged = 0;
  return (event) => {
    if (event.kind === 'unclassified' || event.kind === 'rejected' || logged++ >= MAX_LOGGED_EVENTS) return;
    log.warn({ event: event.kind, rule: event.rule }, describeEvent(event));
  };
}
