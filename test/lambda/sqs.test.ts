import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { loadProject } from '../../src/config/project.ts';
import { rulesEngine } from '../../src/lambda/handlers.ts';
import { newSilence } from '../../src/noise/new-silence.ts';
import { openAlertStore } from '../../src/store/open.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { eventBridgeObjectCreated, s3Notification, snsNotification, sqsEvent } from './support/events.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

const trail = (fields: Record<string, unknown> = {}) => JSON.stringify({ Records: [cloudtrailEvent(fields)] });

// SQS events: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
// Partial batch failures: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
// S3 notifications through SQS and SNS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
describe.skipIf(noMoto)('the rules engine on SQS events, against moto', () => {
  let project: LambdaProject;
  const aws = new AwsClients();
  let bucket: string;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
    bucket = uniqueName('trail');
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [key, name] of [['AWSLogs/via sqs.json.gz', 'ViaSqs'], ['AWSLogs/via sns.json.gz', 'ViaSnsSqs'], ['AWSLogs/2026:11:28/via-eventbridge.json.gz', 'ViaEventBridge']]) {
      await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(trail({ eventName: name })) }));
    }
  });
  afterAll(async () => {
    aws.destroy();
    await project.close();
  });

  it('reads records in the body, S3 notifications (direct, wrapped by SNS, from EventBridge), and SNS messages raw or enveloped', async () => {
    const event = sqsEvent('log-queue', [
      { messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', body: trail({ eventName: 'BodyRoot' }) },
      { messageId: '2e1424d4-f796-459a-8184-9c92662be6da', body: JSON.stringify(s3Notification(bucket, 'AWSLogs/via sqs.json.gz')) },
      { messageId: '3e1424d4-f796-459a-8184-9c92662be6da', body: JSON.stringify(snsNotification('s3-topic', JSON.stringify(s3Notification(bucket, 'AWSLogs/via sns.json.gz')))) },
      { messageId: '4e1424d4-f796-459a-8184-9c92662be6da', body: JSON.stringify(eventBridgeObjectCreated(bucket, 'AWSLogs/2026:11:28/via-eventbridge.json.gz')) },
      { messageId: '5e1424d4-f796-459a-8184-9c92662be6da', body: JSON.stringify(snsNotification('log-topic', trail({ eventName: 'SnsEnvelopeRoot' }))) },
      // Raw message delivery: the body is the message as published, so the topic is unknown; the queue is the source.
      { messageId: '6e1424d4-f796-459a-8184-9c92662be6da', body: trail({ eventName: 'SnsRawRoot' }) },
      // S3 sends this when notifications are set up: nothing to read.
      { messageId: '7e1424d4-f796-459a-8184-9c92662be6da', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-28T00:00:00.000Z', Bucket: bucket }) },
    ]);

    const result = await rulesEngine(event);

    expect(result).toEqual({ read: 6, classified: 6, unclassified: 0, alerts: 6, unparseable: 0, suppressed: {}, batchItemFailures: [] });
    expect(await project.sources()).toEqual(
      expect.arrayContaining([
        ['BodyRoot', 'sqs', 'log-queue'],
        ['ViaSqs', 's3', bucket],
        ['ViaSnsSqs', 's3', bucket],
        ['ViaEventBridge', 's3', bucket],
        ['SnsEnvelopeRoot', 'sns', 'log-topic'],
        ['SnsRawRoot', 'sqs', 'log-queue'],
      ]),
    );
  });

  it('reports the message whose alert the store refused by its messageId; a broken envelope and a deleted object are unparseable, not failures', async () => {
    const event = sqsEvent('log-queue', [
      { messageId: 'a-ok', body: trail({ eventName: 'FirstRoot' }) },
      // DynamoDB refuses an item over 400 KB: this message's alert cannot be stored, for real.
      { messageId: 'b-too-large', body: trail({ eventName: 'OversizedRoot', requestParameters: { padding: 'x'.repeat(420_000) } }) },
      { messageId: 'c-envelope-without-message', body: JSON.stringify({ ...snsNotification('log-topic', ''), Message: undefined }) },
      { messageId: 'd-object-gone', body: JSON.stringify(s3Notification(bucket, 'AWSLogs/deleted.json.gz')) },
      { messageId: 'e-ok', body: trail({ eventName: 'LastRoot' }) },
    ]);

    const result = await rulesEngine(event);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'b-too-large' }]);
    expect(result.unparseable).toBe(2);
    const names = (await project.sources()).map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['FirstRoot', 'LastRoot']));
    expect(names).not.toContain('OversizedRoot');
  });

  it('counts the alerts a silence kept from being sent, stored all the same', async () => {
    const store = await openAlertStore(loadProject(project.dir));
    try {
      await store.addSilence(newSilence({ matchers: ['record.eventName=SilencedRoot'], for: '1h', comment: 'pen test' }, 'alice', Date.now()));
    } finally {
      store.close();
    }
    const result = await rulesEngine(sqsEvent('log-queue', [{ messageId: 'f-silenced', body: trail({ eventName: 'SilencedRoot' }) }, { messageId: 'g-sent', body: trail({ eventName: 'SentRoot' }) }]));
    expect(result).toMatchObject({ alerts: 2, suppressed: { silenced: 1 } });
    expect((await project.sources()).map(([name]) => name)).toEqual(expect.arrayContaining(['SilencedRoot', 'SentRoot']));
  });
});

