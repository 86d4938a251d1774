import { expect } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';

/**
 * A reader of `queueUrl`'s messages on moto: each call receives what arrived since and answers
 * every body so far (receiving takes messages off the queue).
 */
export function queueReader(queueUrl: string): () => Promise<string[]> {
  const bodies: string[] = [];
  return async () => {
    const reader = new SQSClient({});
    try {
      const { Messages = [] } = await reader.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((message) => message.Body!));
      return bodies;
    } finally {
      reader.destroy();
    }
  };
}

export default awsContract({
  service: 'aws-sqs',
  docs: ['https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html', 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html'],
  idempotency: 'none: SendMessage to a standard queue takes no deduplication id, so a retry after a lost answer may enqueue the alert twice (same alert id)',
  // The SDK speaks SQS's JSON protocol (awsJson1_0, query-compatible error codes).
  protocol: 'json',
  async setup() {
    const name = uniqueName('alerts');
    const admin = new SQSClient({});
    let queueUrl: string;
    try {
      ({ QueueUrl: queueUrl = '' } = await admin.send(new CreateQueueCommand({ QueueName: name })));
    } finally {
      admin.destroy();
    }
    // By name, StreamAlert's value: the output looks its URL up.
    return { values: { queue: name }, received: queueReader(queueUrl) };
  },
  check(received, alert, publication) {
    const bodies = (received as string[]).filter((body) => body.includes(alert.id));
    expect(bodies, `one message of alert ${alert.id}`).toHaveLength(1);
    expect(JSON.parse(bodies[0]!)).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
