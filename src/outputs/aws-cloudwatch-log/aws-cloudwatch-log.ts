import type { Alert } from '../../alerts/alert.ts';
import { AwsOutput } from '../aws/aws-output.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import type { AwsClients } from '../../aws/clients.ts';
import { oversizedMessage, type ByteLimit } from '../aws/message-size.ts';
import type { Attempt, Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';

/**
 * The largest event message: a PutLogEvents batch is at most 1,048,576 bytes, counted as the
 * UTF-8 messages plus 26 bytes an event, so one event's message may have 1,048,550 (within the
 * 1 MB each event may be; older pages of the API reference said 256 KB).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
export const LOG_EVENT: ByteLimit = { bytes: 1_048_576 - 26, size: '1 MiB batch less 26 bytes', what: 'log event' };

/** A document over one event fails unsent: a cut JSON event is no use to Logs Insights. */
const CLOUDWATCH_LOG_LIMITS = {
  message: { max: LOG_EVENT.bytes, unit: 'bytes', over: 'failed' },
  // The PutLogEvents quota is per account and region, shared with every other writer: its throttling is retried.
  source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html',
} as const;

const loadLogs = async () => (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient;

/**
 * Amazon CloudWatch Logs: one PutLogEvents per alert, a single event whose message is the alert
 * document as JSON, into a log stream of a log group (created on first use when missing).
 * StreamAlert's `aws-cloudwatch-log` logged "New Alert:" and the document to its own Lambda
 * function's log; not being that function, we write to a group the user names, and as JSON
 * alone, so that Logs Insights and metric filters read its fields.
 *
 * PutLogEvents has no idempotency key: a retry after a lost answer may log the alert twice.
 */
@output
export class CloudwatchLogOutput extends AwsOutput {
  static override readonly service = 'aws-cloudwatch-log';
  static override readonly displayName = 'AWS CloudWatch Logs';
  static override readonly limits = CLOUDWATCH_LOG_LIMITS;
  static override readonly resourceProperty = 'log_group';
  static override readonly properties = {
    descriptor: descriptorProperty('AWS CloudWatch Logs', 'log group name'),
    // Group names are letters, digits and _-./# (no space, no colon): the default restrictions fit.
    log_group: property('the CloudWatch Logs log group to write alerts to (it must exist)'),
    log_stream: property('the log stream in that group, created if missing', { value: 'streamalert-alerts' }),
  };

  async dispatch(_alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const target = { group: this.resource, stream: this.setting('log_stream') };
    const resource = `CloudWatch log stream ${target.group}:${target.stream}`;
    const message = JSON.stringify(publication);
    const tooLarge = oversizedMessage(message, resource, LOG_EVENT);
    if (tooLarge) return tooLarge;

    try {
      let answer = await putEvent(this.context.aws, target, message, attempt.signal);
      if (answer === 'no stream') {
        const created = await createStream(this.context.aws, target, attempt.signal);
        if (created === 'no group') return failed('not_found', `the log group ${target.group} does not exist in region ${this.context.aws.region}; create it (StreamAlert creates no log groups)`);
        answer = await putEvent(this.context.aws, target, message, attempt.signal);
      }
      if (answer === 'no stream') return failed('not_found', `${resource} does not exist and could not be created`);
      // A 200 that kept nothing: events too old, too new or expired are rejected one by one.
      if (answer.rejected) return failed('client_error', `CloudWatch Logs rejected the alert's event in ${resource}: ${JSON.stringify(answer.rejected)}`);
      return delivered(`${target.group}:${target.stream}`);
    } catch (error) {
      return classifyAwsError(error, resource);
    }
  }
}

interface StreamTarget {
  readonly group: string;
  readonly stream: string;
}

/** One event, stamped now (within the 14 days back and 2 hours ahead PutLogEvents takes); 'no stream' when the group or stream is missing. */
async function putEvent(aws: AwsClients, target: StreamTarget, message: string, signal: AbortSignal | undefined): Promise<'no stream' | { rejected?: object }> {
  const { PutLogEventsCommand, ResourceNotFoundException } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = await aws.client('logs', loadLogs);
  const put = new PutLogEventsCommand({ logGroupName: target.group, logStreamName: target.stream, logEvents: [{ timestamp: Date.now(), message }] });
  try {
    const response = await aws.call((abortSignal) => logs.send(put, { abortSignal }), signal);
    return { rejected: response.rejectedLogEventsInfo };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'no stream';
    throw error;
  }
}

/** Creates the stream; 'no group' when its group does not exist. One created meanwhile by another writer is as good. */
async function createStream(aws: AwsClients, target: StreamTarget, signal: AbortSignal | undefined): Promise<'created' | 'no group'> {
  const { CreateLogStreamCommand, ResourceAlreadyExistsException, ResourceNotFoundException } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = await aws.client('logs', loadLogs);
  const create = new CreateLogStreamCommand({ logGroupName: target.group, logStreamName: target.stream });
  try {
    await aws.call((abortSignal) => logs.send(create, { abortSignal }), signal);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'no group';
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
  }
  return 'created';
}
