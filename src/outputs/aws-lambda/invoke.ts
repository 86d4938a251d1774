import type { AwsClients, ClientIdentity } from '../../aws/clients.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { Publication } from '../output.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import type { FunctionTarget } from './function-name.ts';

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
 * The limits of an output that invokes asynchronously: the payload limit above, and a document
 * over it fails unsent (a cut one would be no use to the function). Lambda limits concurrency,
 * not a caller's rate, so no rate is declared: its throttling is retried.
 */
export const LAMBDA_ASYNC_LIMITS = {
  message: { max: LAMBDA_ASYNC_PAYLOAD_MAX_BYTES, unit: 'bytes', over: 'failed' },
  source: 'https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html',
} as const;

/**
 * One asynchronous (`Event`) Invoke of `target` with the alert document as its payload, what
 * both Lambda outputs send. Lambda queues the event and answers 202 at once; the function's
 * own errors are retried by Lambda, not by us. `resource` names the function in messages;
 * `identity` signs with other credentials than the SDK's chain (aws-lambda-v2's assumed role).
 * https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html
 */
export async function invokeAsync(
  aws: AwsClients,
  target: FunctionTarget,
  publication: Publication,
  resource: string,
  signal: AbortSignal | undefined,
  identity?: ClientIdentity,
): Promise<DispatchResult> {
  const payload = Buffer.from(JSON.stringify(publication), 'utf8');
  if (payload.byteLength > LAMBDA_ASYNC_PAYLOAD_MAX_BYTES) {
    return failed(
      'too_large',
      `the alert document is ${payload.byteLength.toLocaleString('en-US')} bytes, over the ${LAMBDA_ASYNC_PAYLOAD_MAX_BYTES.toLocaleString('en-US')}-byte (1 MB) limit of asynchronous invocations of ${resource}; trim the record with a publisher, or store alerts in S3 (aws-s3) and let the function read them there`,
    );
  }

  try {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    const invoke = new InvokeCommand({ FunctionName: target.functionName, Qualifier: target.qualifier, InvocationType: 'Event', Payload: payload });
    const lambda = await aws.client('lambda', async () => LambdaClient, target.region, identity);
    const response = await aws.call((abortSignal) => lambda.send(invoke, { abortSignal }), signal);
    return delivered(response.$metadata.requestId ?? `StatusCode ${response.StatusCode}`);
  } catch (error) {
    return classifyAwsError(error, resource);
  }
}
