import { describe, expect, it } from 'vitest';
import { AggregatedRecordError, deaggregate, isAggregated, KPL_MAGIC } from '../../src/lambda/events/kpl.ts';
import { aggregate } from './support/kpl-encoder.ts';

// The format: https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
describe('KPL deaggregation', () => {
  it('gives back each user record of an aggregate, in order', () => {
    const data = aggregate([
      { partitionKey: 'a', data: '{"n":1}' },
      { partitionKey: 'b', data: '{"n":2}' },
      { partitionKey: 'a', data: 'x'.repeat(300) },
    ]);
    expect(isAggregated(data)).toBe(true);
    expect(deaggregate(data).map(String)).toEqual(['{"n":1}', '{"n":2}', 'x'.repeat(300)]);
  });

  it('passes a plain record through whole', () => {
    expect(deaggregate(Buffer.from('{"plain":true}')).map(String)).toEqual(['{"plain":true}']);
  });

  it('reads a record with the magic but a wrong checksum as a plain record, as the KCL does', () => {
    const data = aggregate([{ partitionKey: 'a', data: '{"n":1}' }]);
    data[data.length - 1] = data.at(-1)! ^ 0xff;
    expect(isAggregated(data)).toBe(false);
    expect(deaggregate(data)).toEqual([data]);
  });

  it('refuses an aggregate whose checksum matches but whose protobuf runs past its end', async () => {
    const { createHash } = await import('node:crypto');
    // Field 3 (records), length-delimited, claiming 100 bytes where there are 2.
    const body = Buffer.from([0x1a, 100, 0x08, 0x00]);
    const data = Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]);
    expect(() => deaggregate(data)).toThrow(AggregatedRecordError);
  });
});
