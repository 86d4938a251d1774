import { InputError } from '../input/errors.ts';
import { readRecordBatches } from '../input/reader.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import { addSuppressed, type AlertStore, type SaveOutcome } from '../store/alert-store.ts';
import { alertIdsFor } from './events/alert-ids.ts';
import { UnparseableItemError, type BatchItem } from './events/batch-item.ts';
import { itemsOf, type RulesEngineEvent } from './events/rules-engine-event.ts';
import { loadedProject } from './project.ts';
import type { InputConfig } from '../input/config.ts';

export type { RulesEngineEvent } from './events/rules-engine-event.ts';

export interface RulesEngineResult {
  read: number;
  classified: number;
  unclassified: number;
  alerts: number;
  /** Items skipped whole and not retried: an envelope that cannot be read, an object that is binary or gone. */
  unparseable: number;
  /** Of the alerts, those noise control stored without sending them, by reason (src/noise). */
  suppressed: SaveOutcome['suppressed'];
  /**
   * For Kinesis and SQS (event source mappings with ReportBatchItemFailures): the records whose
   * alerts could not be stored, which Lambda retries alone; the rest of the batch is done.
   */
  batchItemFailures?: { itemIdentifier: string }[];
}

/**
 * The rules engine function: records in (see events/rules-engine-event.ts for the event kinds),
 * classified, the rules run, the alerts stored with their pending deliveries.
 *
 * @example
 *   await rulesEngine(kinesisEvent)  // { read: 500, classified: 500, unclassified: 0, alerts: 3, unparseable: 0, batchItemFailures: [] }
 */
export async function rulesEngine(event: RulesEngineEvent): Promise<RulesEngineResult> {
  const { project, parts, aws, store: openStore } = await loadedProject();
  const { items, reportsItemFailures } = itemsOf(event, aws);
  const store = await openStore();
  const logType = 'log_type' in event && event.log_type ? event.log_type : undefined;
  const pipeline = new Pipeline({ ...parts, ...(logType && { logType }) });
  const failures: { itemIdentifier: string }[] = [];
  let unparseable = 0;
  const suppressed: SaveOutcome['suppressed'] = {};
  for (const item of items) {
    try {
      await processItem(item, pipeline, store, project.global.input, suppressed);
    } catch (error) {
      if (isUnparseable(error)) {
        unparseable++;
        console.warn(JSON.stringify({ unparseable: item.name, reason: (error as Error).message }));
        continue;
      }
      // Without partial batch reporting the whole event fails, for Lambda's retries and dead-letter queue.
      if (!reportsItemFailures || item.itemIdentifier === undefined) throw error;
      console.error(JSON.stringify({ batchItemFailure: item.itemIdentifier, item: item.name, reason: (error as Error).message }));
      failures.push({ itemIdentifier: item.itemIdentifier });
    }
  }
  const { read, classified, unclassified, alerts } = pipeline.stats;
  return { read, classified, unclassified, alerts, unparseable, suppressed, ...(reportsItemFailures && { batchItemFailures: failures }) };
}

/** One item's records through the pipeline, its alerts stored batch by batch (an S3 object may be large). */
async function processItem(item: BatchItem, pipeline: Pipeline, store: AlertStore, input: InputConfig, suppressed: SaveOutcome['suppressed']): Promise<void> {
  for (const source of item.inputs()) {
    pipeline.source = source.source;
    pipeline.input = source.name;
    const body = await source.open();
    const identity = source.identity();
    pipeline.alertIds = identity && alertIdsFor(identity);
    const batches = readRecordBatches(body, { ...input, source: source.name, textLines: pipeline.classifier.readsText });
    for await (const batch of batches) {
      await pipeline.prepare(batch);
      const alerts = pipeline.processBatch(batch);
      if (alerts.length === 0) continue;
      addSuppressed(suppressed, await store.save(alerts));
    }
  }
}

/**
 * Reading it again cannot help: a broken envelope, binary data or broken gzip (InputError), an
 * object deleted since its notification (NoSuchKey). A store error, a throttled or unreachable
 * S3 may pass on a retry, so those fail the item.
 */
function isUnparseable(error: unknown): boolean {
  return error instanceof UnparseableItemError || error instanceof InputError || (error as { name?: string } | null)?.name === 'NoSuchKey';
}
