import type { Alert } from '../../alerts/alert.ts';
import { assumedRole, isRoleArn } from '../../aws/assumed-role.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { ClientIdentity } from '../../aws/clients.ts';
import { parseFunctionName } from '../aws-lambda/function-name.ts';
import { invokeAsync, LAMBDA_ASYNC_LIMITS } from '../aws-lambda/invoke.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { failed, type DispatchResult } from '../result.ts';

/** How to fix a value that cannot be used. */
const FIX = "run 'streamalert output new --service aws-lambda-v2 --update' to fix it";

/**
 * AWS Lambda through an assumed role (StreamAlert's LambdaOutputV2): the same asynchronous
 * Invoke as `aws-lambda`, signed with the credentials of `assume_role_arn` when one is set, so
 * that a function of another account can be invoked. The credentials are assumed once and kept
 * until shortly before they expire (src/aws/assumed-role.ts).
 * https://aws.amazon.com/premiumsupport/knowledge-center/lambda-function-assume-iam-role/
 *
 * As in StreamAlert, the function and role ARNs are kept with the credentials (encrypted), not
 * in conf/outputs.json, so another account's ARNs never enter the configuration repository;
 * like every credential they are shown as [secret] in messages.
 */
@output
export class LambdaV2Output extends OutputBase {
  static override readonly service = 'aws-lambda-v2';
  static override readonly displayName = 'AWS Lambda v2';
  static override readonly limits = LAMBDA_ASYNC_LIMITS;
  // StreamAlert's names and wording. The ARNs are echoed at the prompt (neither is a password)
  // and stored encrypted, as StreamAlert kept them. The qualifier is a plain setting: a value as
  // short as `1` or `prod`, scrubbed from messages as credentials are, would garble every one.
  static override readonly properties = {
    descriptor: descriptorProperty('AWS Lambda v2', 'abbreviated function name'),
    lambda_function_arn: property('the ARN of the AWS Lambda function to Invoke', { inputRestrictions: [' '], credRequirement: true }),
    function_qualifier: property('the function qualifier/alias to invoke, if any', { optional: true }),
    assume_role_arn: property('the ARN of a role to assume (AssumeRole) to invoke the function with, if any', {
      inputRestrictions: [' '],
      credRequirement: true,
      optional: true,
    }),
  };

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.setting('lambda_function_arn');
    const qualifier = this.setting('function_qualifier') || undefined;
    const resource = `Lambda function ${configured}${qualifier ? ` (qualifier ${qualifier})` : ''}`;
    const target = parseFunctionName(configured);
    if (!target) return failed('config', `${resource} is not a function ARN (or name); ${FIX}`);
    if (qualifier && target.qualifier && qualifier !== target.qualifier) {
      return failed('config', `${resource} names two qualifiers, ${target.qualifier} in the ARN and ${qualifier}; keep one: ${FIX}`);
    }

    let identity: ClientIdentity | undefined;
    const roleArn = this.setting('assume_role_arn');
    if (roleArn) {
      if (!isRoleArn(roleArn)) return failed('config', `assume_role_arn ${roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>); ${FIX}`);
      const role = assumedRole(this.context.aws, roleArn);
      try {
        await role.credentials(attempt.signal);
      } catch (error) {
        return classifyAwsError(error, `IAM role ${roleArn} (assumed to invoke ${resource})`);
      }
      identity = role.identity;
    }
    return invokeAsync(this.context.aws, { ...target, qualifier: qualifier ?? target.qualifier }, publication, resource, attempt.signal, identity);
  }
}
