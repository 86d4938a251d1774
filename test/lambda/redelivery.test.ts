import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { alertIdsFor } from '../../src/lambda/events/alert-ids.ts';
import { rulesEngine } from '../../src/lambda/handlers.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { kinesisEvent, s3Notification, sqsEvent } from './support/events.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

const trail = (eventName: string) => JSON.stringify({ Records: [cloudtrailEvent({ eventName })] });
const AT = Date.parse('2026-12-02T06:00:00.123Z');
const position = (ordinal: number, index = 0) => ({ ordinal, index, of: 1 });

describe('alert ids derived from an input identity', () => {
  it('are version 7 UUIDs whose first 48 bits are the time AWS had the input, the same each time', () => {
    const ids = alertIdsFor({ key: 'kinesis arn:aws:kinesis:us-east-1:123456789012:stream/s 4959 0', at: AT });
    const id = ids.idFor(position(1), 'root_login');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(AT);
    expect(alertIdsFor({ key: 'kinesis arn:aws:kinesis:us-east-1:123456789012:stream/s 4959 0', at: AT }).idFor(position(1), 'root_login')).toBe(id);
  });

  it('differ by input, by record, by record within a record, and by rule', () => {
    const ids = alertIdsFor({ key: 'sqs arn:aws:sqs:us-east-1:123456789012:q m-1', at: AT });
    const all = [
      ids.idFor(position(1), 'root_login'),
      ids.idFor(position(2), 'root_login'),
      ids.idFor(position(1, 1), 'root_login'),
      ids.idFor(position(1), 'other_rule'),
      alertIdsFor({ key: 'sqs arn:aws:sqs:us-east-1:123456789012:q m-2', at: AT }).idFor(position(1), 'root_login'),
    ];
    expect(new Set(all).size).toBe(all.length);
  });
});

// Lambda retries a failed batch, and re-reads a Kinesis shard from the first failed record on:
// https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
describe.skipIf(noMoto)('an input AWS delivers again, against moto', () => {
  let project: LambdaProject;
  const aws = new AwsClients();
  let bucket: string;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
    bucket = uniqueName('redelivered');
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    aws.destroy();
    await project.close();
  });

  const storedNames = async () => (await project.stored()).map(({ alert }) => alert.record.eventName as string).sort();

  it('Kinesis records read again from a failed one on store no alert twice; a new record does', async () => {
    const records = ['A', 'B', 'C'].map((name, i) => ({ sequenceNumber: `4959000000000000000000000000000000000000000000000000000${i}`, data: trail(`Kinesis${name}`) }));
    expect((await rulesEngine(kinesisEvent('trail', records))).alerts).toBe(3);
    // The shard re-read from the second record on: its alerts and the third's are raised again, with the ids they had.
    expect((await rulesEngine(kinesisEvent('trail', records.slice(1)))).alerts).toBe(2);
    expect((await storedNames()).filter((name) => name.startsWith('Kinesis'))).toEqual(['KinesisA', 'KinesisB', 'KinesisC']);
    await rulesEngine(kinesisEvent('trail', [{ sequenceNumber: '49590000000000000000000000000000000000000000000000000009', data: trail('KinesisA') }]));
    expect((await storedNames()).filter((name) => name.startsWith('Kinesis'))).toEqual(['KinesisA', 'KinesisA', 'KinesisB', 'KinesisC']);
  });

  it('an S3 object notified twice raises its alerts once; the object written again with new content raises them anew', async () => {
    const key = 'AWSLogs/redelivered.json';
    await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: trail('S3First') }));
    const notified = (messageId: string) => sqsEvent('log-queue', [{ messageId, body: JSON.stringify(s3Notification(bucket, key)) }]);
    await rulesEngine(notified('6f0c2a51-0000-4000-8000-000000000001'));
    // SQS delivers at least once: the same message again, and S3 may notify twice (another message).
    await rulesEngine(notified('6f0c2a51-0000-4000-8000-000000000001'));
    await rulesEngine(notified('6f0c2a51-0000-4000-8000-000000000002'));
    expect((await storedNames()).filter((name) => name.startsWith('S3'))).toEqual(['S3First']);

    await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: trail('S3Second') }));
    await rulesEngine(notified('6f0c2a51-0000-4000-8000-000000000003'));
    expect((await storedNames()).filter((name) => name.startsWith('S3'))).toEqual(['S3First', 'S3Second']);
  });

  it('records in an SQS message body delivered again store no alert twice', async () => {
    const event = sqsEvent('log-queue', [{ messageId: '7a1d3c52-0000-4000-8000-000000000001', body: trail('SqsBody') }]);
    await rulesEngine(event);
    await rulesEngine(event);
    expect((await storedNames()).filter((name) => name.startsWith('SqsBody'))).toEqual(['SqsBody']);
  });

  it('a direct invocation has no identity: made twice, its alerts are raised twice', async () => {
    const event = { records: [{ Records: [cloudtrailEvent({ eventName: 'DirectTwice' })] }] };
    await rulesEngine(event);
    await rulesEngine(event);
    expect((await storedNames()).filter((name) => name === 'DirectTwice')).toHaveLength(2);
  });
});
