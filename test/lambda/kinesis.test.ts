import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesEngine } from '../../src/lambda/handlers.ts';
import { noMoto } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { kinesisEvent } from './support/events.ts';
import { aggregate } from './support/kpl-encoder.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

const trail = (fields: Record<string, unknown> = {}) => JSON.stringify({ Records: [cloudtrailEvent(fields)] });

// Kinesis events: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
// Partial batch failures: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
describe.skipIf(noMoto)('the rules engine on Kinesis events, against moto', () => {
  let project: LambdaProject;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
  });
  afterAll(() => project.close());

  it('stores the alerts of plain and KPL-aggregated records, stamped with the stream', async () => {
    const event = kinesisEvent('cloudtrail-stream', [
      { sequenceNumber: '49590338271490256608559692538361571095921575989136588801', data: trail({ eventName: 'PlainRoot' }) },
      {
        sequenceNumber: '49590338271490256608559692538361571095921575989136588802',
        data: aggregate([
          { partitionKey: 'k1', data: trail({ eventName: 'AggregatedRoot' }) },
          { partitionKey: 'k2', data: trail({ eventName: 'AggregatedUser', userIdentity: { type: 'IAMUser' } }) },
          { partitionKey: 'k1', data: `${trail({ eventName: 'NdjsonRoot1' })}\n${trail({ eventName: 'NdjsonRoot2' })}` },
        ]),
      },
    ]);

    const result = await rulesEngine(event);

    expect(result).toEqual({ read: 5, classified: 5, unclassified: 0, alerts: 4, unparseable: 0, suppressed: {}, batchItemFailures: [] });
    expect(await project.sources()).toEqual(
      expect.arrayContaining(['PlainRoot', 'AggregatedRoot', 'NdjsonRoot1', 'NdjsonRoot2'].map((name) => [name, 'kinesis', 'cloudtrail-stream'])),
    );
  });

  it('reports only the record whose alert the store refused, and counts a corrupt aggregate as unparseable, not failed', async () => {
    const { createHash } = await import('node:crypto');
    const broken = Buffer.from([0x1a, 100, 0x08]);
    const corruptAggregate = Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), broken, createHash('md5').update(broken).digest()]);
    // DynamoDB refuses an item over 400 KB: this record's alert cannot be stored, for real.
    const oversized = trail({ eventName: 'OversizedRoot', requestParameters: { padding: 'x'.repeat(420_000) } });
    const event = kinesisEvent('cloudtrail-stream', [
      { sequenceNumber: '100', data: trail({ eventName: 'BeforeRoot' }) },
      { sequenceNumber: '101', data: oversized },
      { sequenceNumber: '102', data: corruptAggregate },
      { sequenceNumber: '103', data: 'not json at all' },
      { sequenceNumber: '104', data: trail({ eventName: 'AfterRoot' }) },
    ]);

    const result = await rulesEngine(event);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '101' }]);
    expect(result.unparseable).toBe(1);
    // The line that is not JSON is read, and counted unclassified, like any rejected record.
    expect(result).toMatchObject({ alerts: 3, unclassified: 1 });
    const names = (await project.sources()).map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['BeforeRoot', 'AfterRoot']));
    expect(names).not.toContain('OversizedRoot');
  });
});
