import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { parseFunctionName } from './function-name.ts';

/**
 * The largest payload of an asynchronous (`Event`) invocation: 1 MB, which Lambda's documentation
 * defines as 1,024 KB, so 1,048,576 bytes of JSON. AWS raised it from 256 KB (262,144 bytes) in
 * October 2025.
 * - https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html ("For asynchronous invocations,
 *   the maximum payload size is 1 MB.")
 * - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html ("MB (rather than
 *   MiB) to refer to 1,024 KB")
 * - https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb
 */
export const LAMBDA_ASYNC_PAYLOAD_MAX_BYTES = 1_048_576;

/**
 * AWS Lambda: an asynchronous (`Event`) Invoke whose payload is the alert document.
 * https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html
 *
 * Lambda queues the event and answers 202 at once; the function's own errors are retried by
 * Lambda's asynchronous invocation, not by us. An Invoke has no idempotency key, so a retry
 * after a lost response may run the function twice with the same alert `id`.
 */
@output
export class LambdaOutput extends AwsOutput {
  static override readonly service = 'aws-lambda';
  static override readonly displayName = 'AWS Lambda';
  static override readonly resourceProperty = 'function_name';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS Lambda', 'abbreviated function name'),
    // `name:qualifier` and ARNs contain colons, so only spaces are restricted (as in StreamAlert).
    function_name: property(
      "the AWS Lambda function name, with the optional qualifier (aka 'alias'), to use for this configuration (ie: output_function:qualifier)",
      { inputRestrictions: [' '] },
    ),
  };
  static override readonly limits = {
    // The output invokes with InvocationType Event, so the asynchronous limit applies (not the
    // 6 MB of synchronous calls); a larger document fails unsent, as a cut one would be no use.
    message: { max: LAMBDA_ASYNC_PAYLOAD_MAX_BYTES, unit: 'bytes', over: 'failed' },
    // Lambda limits concurrency, not a caller's request rate: its throttling is retried.
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html',
  } as const;

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.resource;
    const resource = `Lambda function ${configured}`;
    const target = parseFunctionName(configured);
    if (!target) {
      return failed('config', `${resource} is not a function name, name:qualifier, or function ARN; run 'streamalert output new --service aws-lambda --update' to fix it`);
    }

    const payload = Buffer.from(JSON.stringify(publication), 'utf8');
    if (payload.byteLength > LAMBDA_ASYNC_PAYLOAD_MAX_BYTES) {
      return failed(
        'too_large',
        `the alert document is ${payload.byteLength.toLocaleString('en-US')} bytes, over the ${LAMBDA_ASYNC_PAYLOAD_MAX_BYTES.toLocaleString('en-US')}-byte (1 MB) limit of asynchronous invocations of ${resource}; trim the record with a publisher, or store alerts in S3 (aws-s3) and let the function read them there`,
      );
    }

    try {
      const { InvokeCommand } = await import('@aws-sdk/client-lambda');
      const invoke = new InvokeCommand({ FunctionName: target.functionName, Qualifier: target.qualifier, InvocationType: 'Event', Payload: payload });
      const lambda = await this.context.aws.lambda(target.region);
      const response = await this.context.aws.call((abortSignal) => lambda.send(invoke, { abortSignal }), attempt.signal);
      return delivered(response.$metadata.requestId ?? `StatusCode ${response.StatusCode}`);
    } catch (error) {
      return classifyAwsError(error, resource);
    }
  }
}
