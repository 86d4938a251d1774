import { expect } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';

/**
 * A Direct PUT stream writing to a bucket on moto, which stores each PutRecord's data as one
 * object under the stream's prefix, as Firehose does once its buffer flushes.
 */
export async function firehoseToBucket(region?: string): Promise<{ stream: string; records(): Promise<string[]> }> {
  const s3 = new S3Client({ forcePathStyle: true });
  const firehose = new FirehoseClient({ region });
  try {
    const stream = uniqueName('alerts');
    const bucket = uniqueName('firehose');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: stream,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose', Prefix: 'alerts/' },
      }),
    );
    return {
      stream,
      async records() {
        const reader = new S3Client({ forcePathStyle: true });
        try {
          const { Contents = [] } = await reader.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'alerts/' }));
          return Promise.all(Contents.map(async ({ Key }) => (await reader.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString()));
        } finally {
          reader.destroy();
        }
      },
    };
  } finally {
    s3.destroy();
    firehose.destroy();
  }
}

export default awsContract({
  service: 'aws-firehose',
  docs: ['https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html', 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_Record.html'],
  idempotency: 'none: PutRecord takes no idempotency key and Firehose delivers at least once, so a retry after a lost answer may write the alert twice (same alert id)',
  protocol: 'json',
  async setup() {
    const { stream, records } = await firehoseToBucket();
    return { values: { delivery_stream: stream }, received: records };
  },
  check(received, _alert, publication) {
    // StreamAlert's record: compact JSON and a newline. One object per PutRecord, under keys that
    // do not sort by time, so the delivery's own is found by its content.
    const expected = `${JSON.stringify(publication)}\n`;
    expect(received.filter((record) => record === expected)).toHaveLength(1);
  },
});
