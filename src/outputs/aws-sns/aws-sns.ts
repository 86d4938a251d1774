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

/** ListTopics pages at most this many (100 topics each): the default quota is 100,000 topics. */
const MAX_LIST_PAGES = 1_000;

/**
 * Amazon SNS: one Publish per alert, the alert document as JSON for the message and StreamAlert's
 * "<rule> triggered alert <id>" as the subject. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 *
 * The topic is a name, as in StreamAlert, in the account's region, or a topic ARN (any region).
 * SNS addresses topics only by ARN; StreamAlert built it from the account id, which we do not
 * configure, so a name is looked up once with ListTopics. Publish has no idempotency key on
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
      const topicArn = arn?.arn ?? (this.#resolvedArn ??= await findTopicArn(this.context.aws, configured, attempt.signal));
      if (!topicArn) {
        return failed('not_found', `${resource} does not exist in region ${this.context.aws.region}; create it, or configure its ARN if it is in another region`);
      }
      const publish = new PublishCommand({ TopicArn: topicArn, Message: message, Subject: alertSubject(alert.ruleName, alert.id) });
      const response = await this.context.aws.call((abortSignal) => sns.send(publish, { abortSignal }), attempt.signal);
      return delivered(response.MessageId ?? topicArn);
    } catch (error) {
      return classifyAwsError(error, resource);
    }
  }
}

/** The ARN of the topic called `name` in the clients' region, or undefined when there is none. */
async function findTopicArn(aws: AwsClients, name: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const { ListTopicsCommand } = await import('@aws-sdk/client-sns');
  const sns = await aws.sns();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const list = new ListTopicsCommand({ NextToken: nextToken });
    const response = await aws.call((abortSignal) => sns.send(list, { abortSignal }), signal);
    const found = response.Topics?.find((topic) => topic.TopicArn?.endsWith(`:${name}`));
    if (found) return found.TopicArn;
    nextToken = response.NextToken;
    if (!nextToken) return undefined;
  }
  return undefined;
}
