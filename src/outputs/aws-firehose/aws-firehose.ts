import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import { oversizedMessage, type ByteLimit } from '../aws/message-size.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { parseStream } from './stream.ts';

/**
 * The largest record Firehose takes: 1,000 KiB before base64 encoding (the API's length
 * constraint, 1,024,000). StreamAlert refused records over 1,000,000 characters.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_Record.html
 */
export const FIREHOSE_RECORD: ByteLimit = { bytes: 1_024_000, size: '1,000 KiB', what: 'record' };

/**
 * Amazon Data Firehose (Kinesis Firehose): one PutRecord per alert, the alert document as
 * compact JSON and a newline, as StreamAlert sends it, so that the objects Firehose writes to
 * S3 hold one alert a line. https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html
 *
 * PutRecord has no idempotency key: a retry after a lost answer may write the alert twice
 * (same alert `id`); Firehose itself documents at-least-once delivery.
 */
@output
export class FirehoseOutput extends AwsOutput {
  static override readonly service = 'aws-firehose';
  static override readonly displayName = 'AWS Firehose';
  static override readonly limits = {
    message: { max: FIREHOSE_RECORD.bytes, unit: 'bytes', over: 'failed' },
    // "each Firehose stream can take in up to 2,000 transactions per second" (PutRecord's page).
    rate: { perSecond: 2_000, burst: 2_000 },
    source: 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html',
  } as const;

  static override readonly resourceProperty = 'delivery_stream';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS Firehose', 'delivery stream name'),
    // Only spaces are refused: a stream ARN has colons.
    delivery_stream: property('the Firehose Delivery Stream name, or its ARN', { inputRestrictions: [' '] }),
  };

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.resource;
    const resource = `Firehose stream ${configured}`;
    const stream = parseStream(configured);
    if (!stream) {
      return failed('config', `${resource} is neither a stream name nor a stream ARN; run 'streamalert output new --service aws-firehose --update' to fix it`);
    }
    const record = `${JSON.stringify(publication)}\n`;
    const tooLarge = oversizedMessage(record, resource, FIREHOSE_RECORD);
    if (tooLarge) return tooLarge;

    try {
      const { FirehoseClient, PutRecordCommand } = await import('@aws-sdk/client-firehose');
      const firehose = await this.context.aws.client('firehose', async () => FirehoseClient, stream.region);
      const put = new PutRecordCommand({ DeliveryStreamName: stream.name, Record: { Data: Buffer.from(record, 'utf8') } });
      const response = await this.context.aws.call((abortSignal) => firehose.send(put, { abortSignal }), attempt.signal);
      return delivered(response.RecordId ?? stream.name);
    } catch (error) {
      return classifyAwsError(error, resource);
    }
  }
}
