import type { AwsClients } from '../../aws/clients.ts';
import { firstRecord, identityOf, nameInArn, type BatchItem } from './batch-item.ts';
import { messageInputs } from './message-body.ts';

/**
 * SNS events (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html): each record's
 * Sns.Message holds records (source `sns` and the topic) or an S3 notification (S3 -> SNS).
 * SNS invokes the function asynchronously, so the event succeeds or fails whole (Lambda's
 * retries and the function's dead-letter queue take over).
 */
export interface SnsEvent {
  /** Sns.Timestamp: when SNS published the message, ISO 8601. */
  Records: { EventSource: 'aws:sns'; Sns: { MessageId: string; TopicArn: string; Message: string; Timestamp?: string } }[];
}

export function isSnsEvent(event: unknown): event is SnsEvent {
  return firstRecord(event)?.EventSource === 'aws:sns';
}

export function snsItems(event: SnsEvent, aws: AwsClients): BatchItem[] {
  return event.Records.map(({ Sns }) => {
    const topic = nameInArn(Sns.TopicArn);
    const name = `sns message ${Sns.MessageId} of ${topic}`;
    const identity = identityOf(`sns ${Sns.TopicArn} ${Sns.MessageId}`, Sns.Timestamp);
    return { name, inputs: () => messageInputs(Sns.Message, { service: 'sns', entity: topic, name, aws, identity }) };
  });
}
