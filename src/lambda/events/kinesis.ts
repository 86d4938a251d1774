import { Readable } from 'node:stream';
import { alertSource } from '../../pipeline/source.ts';
import { firstRecord, identityOf, UnparseableItemError, type BatchItem } from './batch-item.ts';
import { AggregatedRecordError, deaggregate } from './kpl.ts';

/**
 * Kinesis Data Streams events (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html):
 * each record's data, base64, holds records (JSON, NDJSON, text lines), or a KPL aggregate of
 * such user records (see kpl.ts). A Kinesis record is one batch item, reported by its sequence
 * number (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html);
 * source `kinesis` and the stream.
 */
export interface KinesisEvent {
  Records: KinesisEventRecord[];
}

export interface KinesisEventRecord {
  eventSource: 'aws:kinesis';
  eventSourceARN: string;
  /** approximateArrivalTimestamp: when Kinesis had the record, in seconds. */
  kinesis: { data: string; sequenceNumber: string; partitionKey?: string; approximateArrivalTimestamp?: number };
}

export function isKinesisEvent(event: unknown): event is KinesisEvent {
  return firstRecord(event)?.eventSource === 'aws:kinesis';
}

export function kinesisItems(event: KinesisEvent): BatchItem[] {
  return event.Records.map((record) => {
    const stream = streamName(record.eventSourceARN);
    const name = `kinesis record ${record.kinesis.sequenceNumber} of ${stream}`;
    return {
      itemIdentifier: record.kinesis.sequenceNumber,
      name,
      inputs: () => {
        let userRecords: Buffer[];
        try {
          userRecords = deaggregate(Buffer.from(record.kinesis.data, 'base64'));
        } catch (error) {
          if (error instanceof AggregatedRecordError) throw new UnparseableItemError(`${name}: ${error.message}`);
          throw error;
        }
        const arrived = record.kinesis.approximateArrivalTimestamp;
        return userRecords.map((data, index) => ({
          source: alertSource('kinesis', stream),
          name: userRecords.length === 1 ? name : `${name} (user record ${index + 1} of ${userRecords.length})`,
          open: async () => Readable.from([data]),
          identity: () => identityOf(`kinesis ${record.eventSourceARN} ${record.kinesis.sequenceNumber} ${index}`, arrived === undefined ? undefined : Math.round(arrived * 1000)),
        }));
      },
    };
  });
}

/** `arn:aws:kinesis:us-east-1:123456789012:stream/my-stream` -> `my-stream`. */
function streamName(arn: string): string {
  const at = arn.indexOf(':stream/');
  return at < 0 ? arn : arn.slice(at + ':stream/'.length);
}
