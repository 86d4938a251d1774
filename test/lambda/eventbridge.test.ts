import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { rulesEngine } from '../../src/lambda/handlers.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { cloudtrailEvent } from '../support/rules-project.ts';
import { eventBridgeObjectCreated } from './support/events.ts';
import { lambdaProject, type LambdaProject } from './support/lambda-project.ts';

// S3 events through EventBridge: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
describe.skipIf(noMoto)('the rules engine on EventBridge S3 Object Created events, against SQLite and moto S3', () => {
  let project: LambdaProject;
  const aws = new AwsClients();
  beforeAll(async () => {
    project = await lambdaProject('sqlite');
  });
  afterAll(async () => {
    aws.destroy();
    await project.close();
  });

  it('reads the object named, its key as EventBridge gives it (not URL-encoded)', async () => {
    const bucket = uniqueName('trail');
    const key = 'AWSLogs/2026-11-28T09:12:44 trail+file.json';
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify({ Records: [cloudtrailEvent({ eventName: 'ViaEventBridge' })] }) }));

    const result = await rulesEngine(eventBridgeObjectCreated(bucket, key));

    expect(result).toEqual({ read: 1, classified: 1, unclassified: 0, alerts: 1, unparseable: 0, suppressed: {} });
    expect(await project.sources()).toEqual([['ViaEventBridge', 's3', bucket]]);
  });
});
