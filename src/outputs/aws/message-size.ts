import { failed, type Failed } from '../result.ts';

/**
 * SNS's message limit and SQS's default queue limit: 256 KB, which both define as 262,144 bytes.
 * - https://docs.aws.amazon.com/sns/latest/api/API_Publish.html ("up to 256 KB (262,144 bytes, not 262,144 characters)")
 * - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html (MaximumMessageSize, default 262,144)
 */
export const AWS_MESSAGE_MAX_BYTES = 262_144;

/** A documented size limit in bytes, with how the vendor names it ("256 KB", "message"). */
export interface ByteLimit {
  readonly bytes: number;
  readonly size: string;
  readonly what: string;
}

const SNS_SQS_MESSAGE: ByteLimit = { bytes: AWS_MESSAGE_MAX_BYTES, size: '256 KB', what: 'message' };

/** Undefined when `body` fits in `limit` (default: SNS's and SQS's) as UTF-8; else the too_large failure that says why and what to do. */
export function oversizedMessage(body: string, resource: string, limit: ByteLimit = SNS_SQS_MESSAGE): Failed | undefined {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes <= limit.bytes) return undefined;
  return failed(
    'too_large',
    `the alert document is ${bytes.toLocaleString('en-US')} bytes, over the ${limit.bytes.toLocaleString('en-US')}-byte (${limit.size}) ${limit.what} limit of ${resource}; trim the record with a publisher, or store alerts in S3 (aws-s3) and send only a reference`,
  );
}
