import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { rulesEngine } from '../../src/lambda/handlers.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { s3Notification, snsEvent } from './support/events.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

const trail = (fields: Record<string, unknown> = {}) => JSON.stringify({ Records: [cloudtrailEvent(fields)] });

// SNS events: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
describe.skipIf(noMoto)('the rules engine on SNS events, against moto', () => {
  let project: LambdaProject;
  const aws = new AwsClients();
  let bucket: string;
  beforeAll(async () => {
    project = await lambdaProject('dynamodb');
    bucket = uniqueName('trail');
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: 'logs/through-sns.json', Body: trail({ eventName: 'ViaSns' }) }));
  });
  afterAll(async () => {
    aws.destroy();
    await project.close();
  });

  it('reads the records of each message, stamped with the topic, and the objects an S3 notification through SNS names', async () => {
    const result = await rulesEngine(snsEvent('log-topic', [trail({ eventName: 'SnsRoot' }), JSON.stringify(s3Notification(bucket, 'logs/through-sns.json'))]));

    // SNS invokes asynchronously: no batchItemFailures, the event succeeds or fails whole.
    expect(result).toEqual({ read: 2, classified: 2, unclassified: 0, alerts: 2, unparseable: 0, suppressed: {} });
    expect(await project.sources()).toEqual(expect.arrayContaining([['SnsRoot', 'sns', 'log-topic'], ['ViaSns', 's3', bucket]]));
  });

  it('fails the whole invocation when an alert cannot be stored, for Lambda to retry it', async () => {
    const oversized = trail({ eventName: 'OversizedRoot', requestParameters: { padding: 'x'.repeat(420_000) } });
    await expect(rulesEngine(snsEvent('log-topic', [oversized]))).rejects.toThrow(/maximum allowed size/);
  });
});
