import { expect } from 'vitest';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { alertSubject } from '../../../src/outputs/aws-sns/topic.ts';
import { awsContract } from '../../support/contract.ts';
import { uniqueName } from '../../support/moto.ts';
import { queueReader } from './aws-sqs.contract.ts';

/** An SNS notification as an SQS subscriber receives it (raw delivery off). */
interface Notification {
  TopicArn: string;
  Subject?: string;
  Message: string;
}

let topicArn = '';

export default awsContract({
  service: 'aws-sns',
  docs: ['https://docs.aws.amazon.com/sns/latest/api/API_Publish.html', 'https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html'],
  idempotency: 'none: Publish to a standard topic takes no deduplication id, so a retry after a lost answer may publish twice (subscribers see the same alert id)',
  protocol: 'query',
  async setup() {
    const name = uniqueName('alerts');
    const sns = new SNSClient({});
    const sqs = new SQSClient({});
    try {
      // A queue subscribed to the topic shows what was published.
      ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: name })));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-reader` }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }));
      const bodies = queueReader(QueueUrl!);
      return {
        // By name, StreamAlert's value: the output looks its ARN up.
        values: { topic: name },
        received: async () => (await bodies()).map((body) => JSON.parse(body) as Notification),
      };
    } finally {
      sns.destroy();
      sqs.destroy();
    }
  },
  check(received, alert, publication) {
    const notification = (received as Notification[]).find((candidate) => candidate.Message.includes(alert.id));
    expect(notification, `a notification of alert ${alert.id}`).toBeDefined();
    expect(notification!.TopicArn).toBe(topicArn);
    expect(notification!.Subject).toBe(alertSubject(alert.ruleName, alert.id));
    expect(JSON.parse(notification!.Message)).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
