import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { AwsClients } from '../../aws/clients.ts';
import { AWS_MESSAGE_MAX_BYTES, oversizedMessage } from '../aws/message-size.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { alertSubject, isTopicName, parseTopicArn } from './topic.ts';

/**
 * Amazon SNS: one Publish per alert, the alert document as JSON for the message and StreamAlert's
 * "<rule> triggered alert <id>" as the subject. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 *
 * The topic is a name, as in StreamAlert, in the account's region, or a topic ARN (any region).
 * SNS addresses topics only by ARN; StreamAlert built it from the account id, which we do not
 * configure, so it comes once from STS GetCallerIdentity (which needs no permission: the
 * function's role gets sns:Publish on the topic alone). Publish has no idempotency key on
 * standard topics, so a retry after a lost answer may publish twice (same alert `id`).
 */
@output
export class SnsOutput extends AwsOutput {
  static override readonly service = 'aws-sns';
  static override readonly displayName = 'AWS SNS';
  static override readonly resourceProperty = 'topic';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS SNS', 'topic name'),
    // ARNs contain colons, so only spaces are restricted.
    topic: property('the SNS topic name, or its ARN', { inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    // 256 KB, 262,144 bytes: a larger document fails unsent (a cut JSON document is no use to a subscriber).
    message: { max: AWS_MESSAGE_MAX_BYTES, unit: 'bytes', over: 'failed' },
    // Publish quotas are per account and region (thousands a second), not per topic: throttling is retried.
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_Publish.html',
  } as const;

  #resolvedArn: string | undefined;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.resource;
    const resource = `SNS topic ${configured}`;
    const arn = parseTopicArn(configured);
    if (!arn && !isTopicName(configured)) {
      return failed('config', `${resource} is neither a topic name nor a topic ARN; run 'streamalert output new --service aws-sns --update' to fix it`);
    }
    const message = JSON.stringify(publication);
    const tooLarge = oversizedMessage(message, resource);
    if (tooLarge) return tooLarge;

    try {
      const { PublishCommand } = await import('@aws-sdk/client-sns');
      const sns = await this.context.aws.sns(arn?.region);
      const topicArn = arn?.arn ?? (this.#resolvedArn ??= await topicArnInThisAccount(this.context.aws, configured, attempt.signal));
      const publish = new PublishCommand({ TopicArn: topicArn, Message: message, Subject: alertSubject(alert.ruleName, alert.id) });
      const response = await this.context.aws.call((abortSignal) => sns.send(publish, { abortSignal }), attempt.signal);
      return delivered(response.MessageId ?? topicArn);
    } catch (error) {
      return classifyAwsError(error, resource);
    }
  }
}

/** The ARN of the topic called `name` in the clients' region and the caller's account (and partition). */
async function topicArnInThisAccount(aws: AwsClients, name: string, signal: AbortSignal | undefined): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = await aws.client('sts', async () => STSClient);
  const { Account, Arn } = await aws.call((abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }), signal);
  return `arn:${Arn?.split(':')[1] ?? 'aws'}:sns:${aws.region}:${Account}:${name}`;
}
