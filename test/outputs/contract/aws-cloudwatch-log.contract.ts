import { expect } from 'vitest';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';
import { withClient } from '../../support/moto-clients.ts';

/** A log group on moto (the output creates its stream), and a reader of the stream's event messages. */
export async function logGroup(): Promise<{ group: string; stream: string; messages(): Promise<string[]> }> {
  const group = `/streamalert/${uniqueName('alerts')}`;
  const stream = uniqueName('stream');
  await withClient(new CloudWatchLogsClient({}), (logs) => logs.send(new CreateLogGroupCommand({ logGroupName: group })));
  const read = (logs: CloudWatchLogsClient) => logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  return {
    group,
    stream,
    async messages() {
      // Before the first delivery creates it, the stream does not exist: nothing has arrived.
      const events = await withClient(new CloudWatchLogsClient({}), read).then((answer) => answer.events ?? [], () => []);
      return events.map((event) => event.message ?? '');
    },
  };
}

export default awsContract({
  service: 'aws-cloudwatch-log',
  docs: ['https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html', 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html'],
  idempotency: 'none: PutLogEvents takes no idempotency key (its sequence token is ignored now), so a retry after a lost answer may log the alert twice (same alert id)',
  protocol: 'json',
  async setup() {
    const { group, stream, messages } = await logGroup();
    return { values: { log_group: group, log_stream: stream }, received: messages };
  },
  check(received, _alert, publication) {
    // Each delivery is one event whose message is the alert document as JSON, in delivery order.
    expect(received.at(-1)).toBe(JSON.stringify(publication));
  },
});
