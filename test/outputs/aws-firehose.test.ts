import { beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { FIREHOSE_RECORD, FirehoseOutput } from '../../src/outputs/aws-firehose/aws-firehose.ts';
import { parseStream } from '../../src/outputs/aws-firehose/stream.ts';
import { firehoseToBucket } from './contract/aws-firehose.contract.ts';
import { noMoto } from '../support/moto.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

describe('Firehose stream names and ARNs', () => {
  it.each([
    ['alerts', { name: 'alerts' }],
    ['sec.alerts_v2-prod', { name: 'sec.alerts_v2-prod' }],
    ['arn:aws:firehose:eu-west-1:123456789012:deliverystream/alerts', { name: 'alerts', region: 'eu-west-1' }],
  ])('reads %s', (value, expected) => {
    expect(parseStream(value)).toEqual(expected);
  });
  it.each([['a name with a colon', 'alerts:prod'], ['a name over 64 characters', 'a'.repeat(65)], ['another service ARN', 'arn:aws:kinesis:us-east-1:123456789012:stream/alerts']])(
    'rejects %s',
    (_, value) => {
      expect(parseStream(value)).toBeUndefined();
    },
  );
});

describe('aws-firehose declaration', () => {
  it('keeps the stream as its AWS resource and declares the 1,000 KiB record limit as failed over it', () => {
    expect(FirehoseOutput.resourceProperty).toBe('delivery_stream');
    expect([...FirehoseOutput.properties.delivery_stream.inputRestrictions]).toEqual([' ']);
    expect(FirehoseOutput.limits.message).toEqual({ max: 1_024_000, unit: 'bytes', over: 'failed' });
  });
});

describe.skipIf(noMoto)('aws-firehose output against moto', () => {
  let target: Awaited<ReturnType<typeof firehoseToBucket>>;
  beforeAll(async () => {
    target = await firehoseToBucket();
  });

  it('writes a record of exactly 1,000 KiB, newline included, and fails one byte over it without writing', async () => {
    const output = makeOutput(context, 'aws-firehose', { delivery_stream: target.stream });
    const fits = { blob: 'x'.repeat(FIREHOSE_RECORD.bytes - '{"blob":""}\n'.length) };
    expect(await output.dispatch(sampleAlert(), fits)).toMatchObject({ kind: 'delivered' });
    const before = await target.records();
    expect(before.filter((record) => Buffer.byteLength(record) === FIREHOSE_RECORD.bytes)).toHaveLength(1);

    const over = { blob: 'x'.repeat(FIREHOSE_RECORD.bytes - '{"blob":""}\n'.length + 1) };
    const result = await output.dispatch(sampleAlert(), over);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('1,024,001 bytes, over the 1,024,000-byte (1,000 KiB) record limit of Firehose stream');
    expect(await target.records()).toHaveLength(before.length);
  });

  it('counts bytes, not characters', async () => {
    // 600,000 characters, 1,200,000 bytes of UTF-8: under the limit by characters, over it by bytes.
    const result = await makeOutput(context, 'aws-firehose', { delivery_stream: target.stream }).dispatch(sampleAlert(), { note: 'é'.repeat(600_000) });
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
  });

  it("writes to a stream of another region, by ARN, in the ARN's region, and fails not_found for its name in the default region", async () => {
    const { stream } = await firehoseToBucket('eu-west-1');
    const alert = sampleAlert();
    const arn = `arn:aws:firehose:eu-west-1:123456789012:deliverystream/${stream}`;
    expect(await makeOutput(context, 'aws-firehose', { delivery_stream: arn }).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });

    const byName = await makeOutput(context, 'aws-firehose', { delivery_stream: stream }).dispatch(alert, toAlertDocument(alert));
    expect(byName).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(byName.kind === 'failed' && byName.message).toContain(`Firehose stream ${stream} does not exist`);
  });

  it('fails config, naming the value, for a stream that is neither a name nor an ARN', async () => {
    const result = await makeOutput(context, 'aws-firehose', { delivery_stream: 'arn:aws:s3:::alerts' }).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toContain('Firehose stream arn:aws:s3:::alerts is neither a stream name nor a stream ARN');
  });
});
