import type { Readable } from 'node:stream';
import type { AwsClients } from '../../aws/clients.ts';
import { alertSource } from '../../pipeline/source.ts';
import { identityOf, type EventInput, type InputIdentity } from './batch-item.ts';

/**
 * S3 event notifications (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html),
 * whether S3 invokes the function or they come through SQS or SNS, and S3's EventBridge
 * "Object Created" events (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
 * Each object becomes an input read as a stream (CloudTrail's .json.gz too), source `s3` and the bucket.
 */
export interface S3NotificationRecord {
  eventSource?: string;
  s3: { bucket: { name: string }; object: { key: string } };
}

export interface S3Notification {
  Records: S3NotificationRecord[];
}

export interface EventBridgeObjectCreated {
  source: 'aws.s3';
  'detail-type': 'Object Created';
  detail: { bucket: { name: string }; object: { key: string } };
}

export function isS3Notification(value: unknown): value is S3Notification {
  const records = (value as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && records.every((record) => typeof (record as S3NotificationRecord | null)?.s3?.bucket?.name === 'string');
}

/** The test event S3 sends when notifications are set up (`"Event": "s3:TestEvent"`): nothing to read. */
export function isS3TestEvent(value: unknown): boolean {
  return (value as { Event?: unknown } | null)?.Event === 's3:TestEvent';
}

export function isEventBridgeObjectCreated(value: unknown): value is EventBridgeObjectCreated {
  const event = value as Partial<EventBridgeObjectCreated> | null;
  return event?.source === 'aws.s3' && event['detail-type'] === 'Object Created' && typeof event.detail?.bucket?.name === 'string';
}

export function s3NotificationInputs(notification: S3Notification, aws: AwsClients): EventInput[] {
  // Notifications URL-encode the key, spaces as '+'.
  return notification.Records.map(({ s3 }) => objectInput(s3.bucket.name, decodeURIComponent(s3.object.key.replace(/\+/g, ' ')), aws));
}

/** EventBridge gives the key as it is, not URL-encoded. */
export function eventBridgeInputs(event: EventBridgeObjectCreated, aws: AwsClients): EventInput[] {
  return [objectInput(event.detail.bucket.name, event.detail.object.key, aws)];
}

function objectInput(bucket: string, key: string, aws: AwsClients): EventInput {
  let identity: InputIdentity | undefined;
  return {
    source: alertSource('s3', bucket),
    name: `s3://${bucket}/${key}`,
    open: async () => {
      // Loaded with the client, on first use: a function that never reads S3 never pays for the S3 SDK at its cold start.
      const { GetObjectCommand } = await import('@aws-sdk/client-s3');
      const object = await (await aws.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // The object as read (not as notified: it may have been written again since), by its ETag and version.
      if (object.ETag) identity = identityOf(`s3 ${bucket} ${key} ${object.VersionId ?? ''} ${object.ETag}`, object.LastModified?.getTime());
      return object.Body as Readable;
    },
    identity: () => identity,
  };
}
