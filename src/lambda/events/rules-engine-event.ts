import type { AwsClients } from '../../aws/clients.ts';
import type { BatchItem } from './batch-item.ts';
import { directItems, isDirectInvocation, type DirectInvocation } from './direct.ts';
import { isKinesisEvent, kinesisItems, type KinesisEvent } from './kinesis.ts';
import { eventBridgeInputs, isEventBridgeObjectCreated, isS3Notification, s3NotificationInputs, type EventBridgeObjectCreated, type S3Notification } from './s3.ts';
import { isSnsEvent, snsItems, type SnsEvent } from './sns.ts';
import { isSqsEvent, sqsItems, type SqsEvent } from './sqs.ts';

/** Every event the rules engine function accepts. */
export type RulesEngineEvent = KinesisEvent | SqsEvent | SnsEvent | S3Notification | EventBridgeObjectCreated | DirectInvocation;

/** The event's batch items, and whether Lambda reads batchItemFailures from the result (Kinesis and SQS event source mappings). */
export interface EventItems {
  readonly kind: 'kinesis' | 'sqs' | 'sns' | 's3' | 'eventbridge' | 'direct';
  readonly items: BatchItem[];
  readonly reportsItemFailures: boolean;
}

/** Tells the event's kind by its shape (the eventSource of its records, EventBridge's source), and splits it into items. */
export function itemsOf(event: RulesEngineEvent, aws: AwsClients): EventItems {
  if (isKinesisEvent(event)) return { kind: 'kinesis', items: kinesisItems(event), reportsItemFailures: true };
  if (isSqsEvent(event)) return { kind: 'sqs', items: sqsItems(event, aws), reportsItemFailures: true };
  if (isSnsEvent(event)) return { kind: 'sns', items: snsItems(event, aws), reportsItemFailures: false };
  if (isS3Notification(event)) return { kind: 's3', items: [{ name: 'an S3 notification', inputs: () => s3NotificationInputs(event, aws) }], reportsItemFailures: false };
  if (isEventBridgeObjectCreated(event)) return { kind: 'eventbridge', items: [{ name: 'an EventBridge Object Created event', inputs: () => eventBridgeInputs(event, aws) }], reportsItemFailures: false };
  if (isDirectInvocation(event)) return { kind: 'direct', items: directItems(event), reportsItemFailures: false };
  throw new TypeError(
    'the rules engine got an event it does not know: expected Kinesis, SQS, SNS, an S3 notification, an EventBridge S3 Object Created event, or {"records": [...]}',
  );
}
