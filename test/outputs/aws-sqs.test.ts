import { afterAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AWS_MESSAGE_MAX_BYTES } from '../../src/outputs/aws/message-size.ts';
import { SqsOutput } from '../../src/outputs/aws-sqs/aws-sqs.ts';
import { isQueueName, parseQueueUrl } from '../../src/outputs/aws-sqs/queue.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

describe('SQS queue names and URLs', () => {
  it('reads the region of an AWS queue URL, and none of a local one', () => {
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/alerts')).toEqual({ url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts', region: 'eu-west-1' });
    expect(parseQueueUrl('http://localhost:5000/123456789012/alerts')?.region).toBeUndefined();
    expect(parseQueueUrl('alerts')).toBeUndefined();
  });
  it('accepts queue names SQS accepts and refuses others', () => {
    expect(isQueueName('alerts_1-x')).toBe(true);
    expect(isQueueName('alerts.fifo')).toBe(true);
    expect(isQueueName('a b')).toBe(false);
    expect(isQueueName('q'.repeat(81))).toBe(false);
  });
});

describe('aws-sqs declaration', () => {
  it('keeps the queue as its AWS resource, allowing the colons of a URL', () => {
    expect(SqsOutput.resourceProperty).toBe('queue');
    expect(SqsOutput.properties.descriptor.description).toBe('a short and unique descriptor for this AWS SQS integration (ie: queue name)');
    expect([...SqsOutput.properties.queue.inputRestrictions]).toEqual([' ']);
  });
});

describe.skipIf(noMoto)('aws-sqs output against moto', () => {
  const sqs = new SQSClient({});
  afterAll(() => sqs.destroy());

  async function newQueue(): Promise<{ name: string; url: string }> {
    const name = uniqueName('alerts');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    return { name, url: QueueUrl! };
  }
  async function bodiesIn(url: string): Promise<unknown[]> {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return (Messages ?? []).map((message) => JSON.parse(message.Body!));
  }

  it.each([
    ['its name', (queue: { name: string; url: string }) => queue.name],
    ['its URL', (queue: { name: string; url: string }) => queue.url],
  ])('sends the alert document as the message body to a queue configured by %s', async (_, configured) => {
    const queue = await newQueue();
    const alert = sampleAlert();
    const result = await makeOutput(context, 'aws-sqs', { queue: configured(queue) }, 'queue').dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(await bodiesIn(queue.url)).toEqual([toAlertDocument(alert)]);
  });

  it('sends a body of exactly the limit, and fails too_large one byte over it without sending', async () => {
    const queue = await newQueue();
    const output = makeOutput(context, 'aws-sqs', { queue: queue.name }, 'queue');
    const fits = { blob: 'x'.repeat(AWS_MESSAGE_MAX_BYTES - '{"blob":""}'.length) };
    expect(await output.dispatch(sampleAlert(), fits)).toMatchObject({ kind: 'delivered' });
    const over = { blob: 'x'.repeat(AWS_MESSAGE_MAX_BYTES - '{"blob":""}'.length + 1) };
    const result = await output.dispatch(sampleAlert(), over);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('262,145 bytes, over the 262,144-byte (256 KB) message limit');
    expect(result.kind === 'failed' && result.message).toContain(`SQS queue ${queue.name}`);
    expect(await bodiesIn(queue.url)).toEqual([fits]);
  });

  it('fails not_found, naming the queue, when there is no such queue', async () => {
    const name = uniqueName('missing');
    const result = await makeOutput(context, 'aws-sqs', { queue: name }, 'queue').dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(result.kind === 'failed' && result.message).toContain(`SQS queue ${name} does not exist`);
  });

  it('fails config, without calling SQS, for a value that is neither a name nor a URL', async () => {
    const result = await makeOutput(context, 'aws-sqs', { queue: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'queue').dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
  });
});
