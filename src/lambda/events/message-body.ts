import { Readable } from 'node:stream';
import type { AwsClients } from '../../aws/clients.ts';
import { alertSource } from '../../pipeline/source.ts';
import { nameInArn, UnparseableItemError, type EventInput, type InputIdentity } from './batch-item.ts';
import { eventBridgeInputs, isEventBridgeObjectCreated, isS3Notification, isS3TestEvent, s3NotificationInputs } from './s3.ts';

/**
 * What an SQS message's body or an SNS message holds: an S3 notification (or S3's EventBridge
 * event) naming objects to read; an SNS notification's JSON envelope, when a topic delivers to
 * a queue without raw message delivery
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html#http-notification-json),
 * whose Message is read the same way; or else the records themselves (JSON, NDJSON or text lines).
 */
export interface MessageContext {
  /** Stamped on the records of a message that holds records: `sqs` and the queue, `sns` and the topic. */
  readonly service: string;
  readonly entity: string;
  readonly name: string;
  readonly aws: AwsClients;
  /** The message's, for the records it holds (an S3 object it names has its own). */
  readonly identity: InputIdentity | undefined;
}

/** An SNS envelope inside an SNS message is not something SNS makes: one level is read, no more. */
const MAX_ENVELOPES = 1;

export function messageInputs(body: string, context: MessageContext, envelopes = 0): EventInput[] {
  const parsed = parseObject(body);
  if (parsed === undefined) return [recordsInput(body, context)];
  if (isS3TestEvent(parsed)) return [];
  if (isS3Notification(parsed)) return s3NotificationInputs(parsed, context.aws);
  if (isEventBridgeObjectCreated(parsed)) return eventBridgeInputs(parsed, context.aws);
  if (isSnsEnvelope(parsed) && envelopes < MAX_ENVELOPES) {
    if (typeof parsed.Message !== 'string') throw new UnparseableItemError(`${context.name}: an SNS notification without a Message`);
    return messageInputs(parsed.Message, { ...context, service: 'sns', entity: nameInArn(parsed.TopicArn) }, envelopes + 1);
  }
  return [recordsInput(body, context)];
}

interface SnsEnvelope {
  Type: 'Notification';
  TopicArn?: string;
  Message?: unknown;
}

function isSnsEnvelope(value: object): value is SnsEnvelope {
  const envelope = value as Partial<SnsEnvelope>;
  return envelope.Type === 'Notification' && typeof envelope.TopicArn === 'string';
}

/** The body as an object when it is one JSON object; records that are not are read by the input reader, which names what is wrong. */
function parseObject(body: string): object | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function recordsInput(body: string, context: MessageContext): EventInput {
  return { source: alertSource(context.service, context.entity), name: context.name, open: async () => Readable.from([body]), identity: () => context.identity };
}
