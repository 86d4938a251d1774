import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import { AWS_MESSAGE_MAX_BYTES, oversizedMessage } from '../aws/message-size.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';
import { isQueueName, parseQueueUrl } from './queue.ts';

/** The names SQS gives a missing queue (JSON protocol, then the older query protocol's code). */
const NO_SUCH_QUEUE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/**
 * Amazon SQS: one SendMessage per alert, the alert document as JSON for the body.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 *
 * The queue is a name, as in StreamAlert, in the account's region (resolved once with
 * GetQueueUrl), or a queue URL. SendMessage on a standard queue has no idempotency key, so a
 * retry after a lost answer may enqueue the alert twice (same alert `id`).
 */
@output
export class SqsOutput extends AwsOutput {
  static override readonly service = 'aws-sqs';
  static override readonly displayName = 'AWS SQS';
  static override readonly resourceProperty = 'queue';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS SQS', 'queue name'),
    // URLs contain colons, so only spaces are restricted.
    queue: property('the SQS queue name, or its URL', { inputRestrictions: [' '] }),
  };
  static override readonly limits = {
    // 256 KB, 262,144 bytes, a queue's default MaximumMessageSize: a larger document fails unsent.
    message: { max: AWS_MESSAGE_MAX_BYTES, unit: 'bytes', over: 'failed' },
    // Standard queues take a nearly unlimited number of sends a second: no rate to keep to.
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
  } as const;

  #resolvedUrl: string | undefined;

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const configured = this.resource;
    const resource = `SQS queue ${configured}`;
    const queueUrl = parseQueueUrl(configured);
    if (!queueUrl && !isQueueName(configured)) {
      return failed('config', `${resource} is neither a queue name nor a queue URL; run 'streamalert output new --service aws-sqs --update' to fix it`);
    }
    const body = JSON.stringify(publication);
    const tooLarge = oversizedMessage(body, resource);
    if (tooLarge) return tooLarge;

    try {
      const { GetQueueUrlCommand, SendMessageCommand } = await import('@aws-sdk/client-sqs');
      const sqs = await this.context.aws.sqs(queueUrl?.region);
      if (!queueUrl && !this.#resolvedUrl) {
        const lookup = new GetQueueUrlCommand({ QueueName: configured });
        this.#resolvedUrl = (await this.context.aws.call((abortSignal) => sqs.send(lookup, { abortSignal }), attempt.signal)).QueueUrl;
      }
      const send = new SendMessageCommand({ QueueUrl: queueUrl?.url ?? this.#resolvedUrl, MessageBody: body });
      const response = await this.context.aws.call((abortSignal) => sqs.send(send, { abortSignal }), attempt.signal);
      return delivered(response.MessageId ?? configured);
    } catch (error) {
      if (NO_SUCH_QUEUE.has((error as { name?: string } | undefined)?.name ?? '')) {
        this.#resolvedUrl = undefined;
        return failed('not_found', `${resource} does not exist in region ${queueUrl?.region ?? this.context.aws.region}; create it, or configure its URL`);
      }
      return classifyAwsError(error, resource);
    }
  }
}
