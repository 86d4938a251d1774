import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, type DispatchResult } from '../result.ts';
import { alertObjectKey } from './key.ts';

/**
 * Amazon S3: one JSON object per alert, the seed's persistent store for production alerts
 * (audit trail, historical context). https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 *
 * The key comes from the alert alone (see `alertObjectKey`), so a retry after a lost response
 * overwrites the object it may already have written: at most one object per alert.
 */
@output
export class S3Output extends AwsOutput {
  static override readonly service = 'aws-s3';
  static override readonly displayName = 'AWS S3';
  static override readonly resourceProperty = 'bucket';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS S3', 'bucket name'),
    // Bucket names hold neither spaces nor colons, so the default restrictions fit.
    bucket: property('the AWS S3 bucket name to use for this S3 configuration'),
  };

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const bucket = this.resource;
    const key = alertObjectKey(alert);
    try {
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      const put = new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(publication), ContentType: 'application/json' });
      const s3 = await this.context.aws.s3();
      await this.context.aws.call((abortSignal) => s3.send(put, { abortSignal }), attempt.signal);
    } catch (error) {
      return classifyAwsError(error, `S3 bucket ${bucket}`);
    }
    return delivered(`s3://${bucket}/${key}`);
  }
}
