import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { failed, type DispatchResult } from '../result.ts';
import { parseFunctionName } from './function-name.ts';
import { invokeAsync, LAMBDA_ASYNC_LIMITS, LAMBDA_ASYNC_PAYLOAD_MAX_BYTES } from './invoke.ts';

// Declared in invoke.ts, which both Lambda outputs share; exported here for this output's users.
export { LAMBDA_ASYNC_PAYLOAD_MAX_BYTES };

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
  static override readonly limits = LAMBDA_ASYNC_LIMITS;

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.resource;
    const resource = `Lambda function ${configured}`;
    const target = parseFunctionName(configured);
    if (!target) {
      return failed('config', `${resource} is not a function name, name:qualifier, or function ARN; run 'streamalert output new --service aws-lambda --update' to fix it`);
    }

    return invokeAsync(this.context.aws, target, publication, resource, attempt.signal);
  }
}
