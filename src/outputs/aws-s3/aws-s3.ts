import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { alertObjectKey } from './key.ts';

/** The largest object one PutObject uploads: 5 GB, which S3 counts in GiB (5 x 1,024^3 bytes). */
export const S3_PUT_MAX_BYTES = 5 * 1024 ** 3;

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
  static override readonly limits = {
    // One PutObject takes at most 5 GB; no alert document comes near it, but one over fails unsent.
    message: { max: S3_PUT_MAX_BYTES, unit: 'bytes', over: 'failed' },
    // S3 scales to 3,500 PUTs a second per key prefix, and ours change every hour: no rate to keep to.
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html',
  } as const;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const bucket = this.resource;
    const key = alertObjectKey(alert);
    const body = JSON.stringify(publication);
    const bytes = Buffer.byteLength(body);
    if (bytes > S3_PUT_MAX_BYTES) return failed('too_large', `the alert document is ${bytes} bytes, over the 5 GB limit of one PutObject to S3 bucket ${bucket}`);
    try {
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      const put = new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' });
      const s3 = await this.context.aws.s3();
      await this.context.aws.call((abortSignal) => s3.send(put, { abortSignal }), attempt.signal);
    } catch (error) {
      return classifyAwsError(error, `S3 bucket ${bucket}`);
    }
    return delivered(`s3://${bucket}/${key}`);
  }
}
