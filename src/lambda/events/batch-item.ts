import type { AlertSource } from '../../rules/engine.ts';

/**
 * What names an input however often AWS delivers it (a Kinesis record's sequence number, an SQS
 * message's id, an S3 object's ETag) and when AWS had it (epoch ms): its alerts' ids derive from
 * both (alert-ids.ts), so an input delivered again stores no alert twice.
 */
export interface InputIdentity {
  readonly key: string;
  readonly at: number;
}

/**
 * One input of an event: where its records come from (stamped on their alerts as
 * source_service and source_entity), a name for messages, and its bytes.
 */
export interface EventInput {
  readonly source: AlertSource;
  /** Named in the pipeline's messages: `sqs message 4f2e... of my-queue`. */
  readonly name: string;
  readonly open: () => Promise<AsyncIterable<Buffer | string>>;
  /** Asked once open() has resolved (an S3 object's ETag comes with it); undefined when AWS gives the input no identity (a direct invocation): its alerts get fresh ids. */
  readonly identity: () => InputIdentity | undefined;
}

/** An identity from a key and a time AWS gives as text or a number, or none when the time is missing or unreadable. */
export function identityOf(key: string, at: number | string | undefined): InputIdentity | undefined {
  const ms = typeof at === 'number' ? at : at === undefined ? Number.NaN : /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  return Number.isFinite(ms) ? { key, at: ms } : undefined;
}

/**
 * One unit of an event that succeeds or fails alone: a Kinesis record, an SQS message, or the
 * whole event for those Lambda invokes asynchronously (S3, SNS, EventBridge, a direct call).
 */
export interface BatchItem {
  /** What Lambda wants back in batchItemFailures (a Kinesis sequence number, an SQS message id); undefined without partial batch reporting. */
  readonly itemIdentifier?: string;
  readonly name: string;
  /** Its inputs; throws UnparseableItemError when its envelope cannot be read. */
  readonly inputs: () => EventInput[];
}

/**
 * An item whose envelope cannot be read (a broken SNS envelope, a corrupt KPL aggregate): it is
 * logged and counted as unparseable, never reported as a batch item failure, since reading it
 * again cannot succeed.
 */
export class UnparseableItemError extends Error {
  override name = 'UnparseableItemError';
}

/** The last part of an ARN: a queue's or topic's name (`arn:aws:sqs:us-east-1:123456789012:alerts` -> `alerts`). */
export function nameInArn(arn: string | undefined): string {
  if (!arn) return 'unknown';
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1) || arn;
}

/** The first of an event's Records, whose eventSource tells the event's kind. */
export function firstRecord(event: unknown): Record<string, unknown> | undefined {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 ? (records[0] as Record<string, unknown>) : undefined;
}
