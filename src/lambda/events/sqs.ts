import type { AwsClients } from '../../aws/clients.ts';
import { firstRecord, identityOf, nameInArn, type BatchItem } from './batch-item.ts';
import { messageInputs } from './message-body.ts';

/**
 * SQS events (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html): each message's body
 * holds records (source `sqs` and the queue), an S3 notification (S3 -> SQS, or S3 -> SNS -> SQS),
 * or an SNS notification (with or without raw message delivery): see message-body.ts. A message
 * is one batch item, reported by its messageId
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting).
 */
export interface SqsEvent {
  Records: SqsEventRecord[];
}

export interface SqsEventRecord {
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  messageId: string;
  body: string;
  /** SentTimestamp: when SQS had the message, epoch ms as text. */
  attributes?: { SentTimestamp?: string };
}

export function isSqsEvent(event: unknown): event is SqsEvent {
  return firstRecord(event)?.eventSource === 'aws:sqs';
}

export function sqsItems(event: SqsEvent, aws: AwsClients): BatchItem[] {
  return event.Records.map((record) => {
    const queue = nameInArn(record.eventSourceARN);
    const name = `sqs message ${record.messageId} of ${queue}`;
    const identity = identityOf(`sqs ${record.eventSourceARN} ${record.messageId}`, record.attributes?.SentTimestamp);
    return { itemIdentifier: record.messageId, name, inputs: () => messageInputs(record.body, { service: 'sqs', entity: queue, name, aws, identity }) };
  });
}
