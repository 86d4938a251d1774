import { afterAll, describe, expect, it } from 'vitest';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AWS_MESSAGE_MAX_BYTES } from '../../src/outputs/aws/message-size.ts';
import { SnsOutput } from '../../src/outputs/aws-sns/aws-sns.ts';
import { alertSubject, parseTopicArn, SNS_SUBJECT_MAX_CHARS } from '../../src/outputs/aws-sns/topic.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

describe('SNS subjects and topic ARNs', () => {
  it("uses StreamAlert's subject, whole when it fits", () => {
    expect(alertSubject('root_login', 'a1b2')).toBe('root_login triggered alert a1b2');
  });
  it('elides the middle of a long subject to fit under 100 characters, keeping both ends', () => {
    const subject = alertSubject('r'.repeat(150), '0f8e6a52-5d0c-4a9e-a1d4-1f0a1c6b2e77');
    expect(subject).toHaveLength(SNS_SUBJECT_MAX_CHARS);
    expect(subject.startsWith('rrrr')).toBe(true);
    expect(subject.endsWith(' alert 0f8e6a52-5d0c-4a9e-a1d4-1f0a1c6b2e77')).toBe(true);
    expect(subject).toContain('...');
  });
  it('replaces characters SNS refuses in a subject', () => {
    expect(alertSubject('rule\nnamé', 'id')).toBe('rule?nam? triggered alert id');
  });
  it('reads a topic ARN and refuses other ARNs', () => {
    expect(parseTopicArn('arn:aws:sns:eu-west-1:123456789012:alerts')).toEqual({ arn: 'arn:aws:sns:eu-west-1:123456789012:alerts', region: 'eu-west-1', name: 'alerts' });
    expect(parseTopicArn('arn:aws:sqs:eu-west-1:123456789012:alerts')).toBeUndefined();
  });
});

describe('aws-sns declaration', () => {
  it('keeps the topic as its AWS resource, allowing the colons of an ARN', () => {
    expect(SnsOutput.resourceProperty).toBe('topic');
    expect(SnsOutput.properties.descriptor.description).toBe('a short and unique descriptor for this AWS SNS integration (ie: topic name)');
    expect([...SnsOutput.properties.topic.inputRestrictions]).toEqual([' ']);
  });
});

describe.skipIf(noMoto)('aws-sns output against moto', () => {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  afterAll(() => {
    sns.destroy();
    sqs.destroy();
  });

  /** A topic with a queue subscribed to it, to read what was published. */
  async function newTopic(): Promise<{ name: string; arn: string; queueUrl: string }> {
    const name = uniqueName('alerts');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-reader` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }));
    return { name, arn: TopicArn!, queueUrl: QueueUrl! };
  }
  async function published(queueUrl: string): Promise<{ Subject?: string; Message: string; TopicArn: string }[]> {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return (Messages ?? []).map((message) => JSON.parse(message.Body!));
  }

  it.each([
    ['its name', (topic: { name: string; arn: string }) => topic.name],
    ['its ARN', (topic: { name: string; arn: string }) => topic.arn],
  ])('publishes the alert document with the rule in the subject to a topic configured by %s', async (_, configured) => {
    const topic = await newTopic();
    const alert = sampleAlert();
    const result = await makeOutput(context, 'aws-sns', { topic: configured(topic) }, 'topic').dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'delivered' });
    const [notification, ...more] = await published(topic.queueUrl);
    expect(more).toEqual([]);
    expect(notification!.TopicArn).toBe(topic.arn);
    expect(notification!.Subject).toBe(`${alert.ruleName} triggered alert ${alert.id}`);
    expect(JSON.parse(notification!.Message)).toEqual(toAlertDocument(alert));
  });

  it('publishes a message of exactly the limit, and fails too_large one byte over it without publishing', async () => {
    const topic = await newTopic();
    const output = makeOutput(context, 'aws-sns', { topic: topic.arn }, 'topic');
    const fits = { blob: 'x'.repeat(AWS_MESSAGE_MAX_BYTES - '{"blob":""}'.length) };
    expect(await output.dispatch(sampleAlert(), fits)).toMatchObject({ kind: 'delivered' });
    const over = { blob: 'é'.repeat(AWS_MESSAGE_MAX_BYTES / 2) };
    const result = await output.dispatch(sampleAlert(), over);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('over the 262,144-byte (256 KB) message limit');
    expect(result.kind === 'failed' && result.message).toContain('store alerts in S3');
    expect((await published(topic.queueUrl)).map((notification) => JSON.parse(notification.Message))).toEqual([fits]);
  });

  it('fails not_found, naming the topic, for a name no topic has and for an ARN of no topic', async () => {
    const name = uniqueName('missing');
    const byName = await makeOutput(context, 'aws-sns', { topic: name }, 'topic').dispatch(sampleAlert(), {});
    expect(byName).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(byName.kind === 'failed' && byName.message).toContain(`SNS topic ${name} does not exist`);
    const arn = `arn:aws:sns:us-east-1:123456789012:${name}`;
    const byArn = await makeOutput(context, 'aws-sns', { topic: arn }, 'topic').dispatch(sampleAlert(), {});
    expect(byArn).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(byArn.kind === 'failed' && byArn.message).toContain(`SNS topic ${arn} does not exist`);
  });
});
