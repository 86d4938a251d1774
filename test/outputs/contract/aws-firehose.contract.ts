import { expect } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';
import { withClient } from '../../support/moto-clients.ts';

/**
 * A Direct PUT stream writing to a bucket on moto, which stores each PutRecord's data as one
 * object under the stream's prefix, as Firehose does once its buffer flushes.
 */
export async function firehoseToBucket(region?: string): Promise<{ stream: string; records(): Promise<string[]> }> {
  const stream = uniqueName('alerts');
  const bucket = uniqueName('firehose');
  await withClient(new S3Client({ forcePathStyle: true }), (s3) => s3.send(new CreateBucketCommand({ Bucket: bucket })));
  const destination = { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose', Prefix: 'alerts/' };
  await withClient(new FirehoseClient({ region }), (firehose) =>
    firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: stream, DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: destination })),
  );
  const read = async (s3: S3Client) => {
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'alerts/' }));
    return Promise.all(Contents.map(async ({ Key }) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString()));
  };
  return { stream, records: () => withClient(new S3Client({ forcePathStyle: true }), read) };
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
