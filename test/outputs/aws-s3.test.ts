import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { alertObjectKey } from '../../src/outputs/aws-s3/key.ts';
import { S3Output } from '../../src/outputs/aws-s3/aws-s3.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from '../support/timeouts.ts';

const context = testContext();

describe('S3 alert object keys', () => {
  it('partitions by the UTC hour the alert was created and names the rule and alert id', () => {
    const created = new Date('2026-11-28T23:59:59.999Z');
    expect(alertObjectKey({ ruleName: 'cloudtrail_root_account_usage', id: 'a1b2-c3', created })).toBe(
      'alerts/dt=2026-11-28-23/cloudtrail_root_account_usage_a1b2-c3.json',
    );
  });

  it('replaces characters outside S3 safe set so a rule name never adds a key level', () => {
    const key = alertObjectKey({ ruleName: 'team/rule name:v2', id: 'id', created: new Date('2026-01-02T03:04:05Z') });
    expect(key).toBe('alerts/dt=2026-01-02-03/team_rule_name_v2_id.json');
  });
});

describe('aws-s3 declaration', () => {
  it('keeps the bucket as its AWS resource with the seed wording', () => {
    expect(S3Output.resourceProperty).toBe('bucket');
    expect(S3Output.properties.descriptor.description).toBe('a short and unique descriptor for this AWS S3 integration (ie: bucket name)');
    expect(S3Output.properties.bucket.description).toBe('the AWS S3 bucket name to use for this S3 configuration');
    expect(S3Output.properties.bucket.credRequirement).toBe(false);
  });
});

describe.skipIf(noMoto)('aws-s3 output against moto', () => {
  // An independent client to look at what landed, so the assertions do not trust the output's own.
  const s3 = new S3Client({ forcePathStyle: true });
  afterAll(() => s3.destroy());

  async function newBucket(): Promise<string> {
    const bucket = uniqueName('alerts');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  async function keysIn(bucket: string): Promise<string[]> {
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listing.Contents ?? []).map((object) => object.Key!);
  }

  it('writes the alert document as JSON at alerts/dt=<UTC hour>/<rule>_<id>.json', async () => {
    const bucket = await newBucket();
    const alert = sampleAlert({ created: new Date('2026-11-28T07:42:10.123Z') });
    const document = toAlertDocument(alert);

    const result = await makeOutput(context, 'aws-s3', { bucket }, 'audit').dispatch(alert, document);

    const key = `alerts/dt=2026-11-28-07/cloudtrail_root_account_usage_${alert.id}.json`;
    expect(result).toEqual({ kind: 'delivered', reference: `s3://${bucket}/${key}` });
    expect(await keysIn(bucket)).toEqual([key]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(object.ContentType).toBe('application/json');
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(document);
  });

  it('stores the publication it is given, as publishers shaped it', async () => {
    const bucket = await newBucket();
    const alert = sampleAlert();
    const publication = { id: alert.id, summary: 'root login from 203.0.113.7' };

    await makeOutput(context, 'aws-s3', { bucket }).dispatch(alert, publication);

    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: alertObjectKey(alert) }));
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(publication);
  });

  it('overwrites the same object when an alert is sent again, and adds one for another alert', async () => {
    const bucket = await newBucket();
    const output = makeOutput(context, 'aws-s3', { bucket });
    const alert = sampleAlert();

    expect(await output.dispatch(alert, { attempt: 1 })).toMatchObject({ kind: 'delivered' });
    expect(await output.dispatch(alert, { attempt: 2 })).toMatchObject({ kind: 'delivered' });
    expect(await keysIn(bucket)).toEqual([alertObjectKey(alert)]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: alertObjectKey(alert) }));
    expect(JSON.parse(await object.Body!.transformToString())).toEqual({ attempt: 2 });

    await output.dispatch(sampleAlert(), { attempt: 1 });
    expect(await keysIn(bucket)).toHaveLength(2);
  });

  it('fails as not_found, naming the bucket, when the bucket does not exist', async () => {
    const bucket = uniqueName('missing');
    const alert = sampleAlert();
    const result = await makeOutput(context, 'aws-s3', { bucket }).dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(result.kind === 'failed' && result.message).toContain(`S3 bucket ${bucket}`);
    expect(result.kind === 'failed' && result.message).toContain('NoSuchBucket');
  });
});

// A real HTTP server standing in for S3 plays the answers moto cannot be made to give on demand
// (throttling, 5xx, access denied, hangs). The SDK parses them as it would S3's own.
describe('aws-s3 output against a scripted S3 endpoint', () => {
  let fakeS3: LoopbackReceiver;
  let clients: AwsClients;
  /** Only for the requests that hang. */
  let hangingClients: AwsClients;
  beforeAll(async () => {
    fakeS3 = await LoopbackReceiver.start();
    clients = new AwsClients({ endpoint: fakeS3.url, timeoutMs: ANSWER_TIMEOUT_MS });
    hangingClients = new AwsClients({ endpoint: fakeS3.url, timeoutMs: HANG_TIMEOUT_MS });
  });
  afterAll(async () => {
    clients.destroy();
    hangingClients.destroy();
    await fakeS3.close();
  });
  beforeEach(() => {
    fakeS3.requests.length = 0;
  });

  const output = (aws = clients) => createOutput('aws-s3', { descriptor: 'audit', values: { bucket: 'acme-alerts' } }, { ...context, aws });

  it('PUTs the document path-style to the bucket and key, as JSON', async () => {
    fakeS3.script({ status: 200, headers: { etag: '"9b2cf535f27731c974343645a3985328"' } });
    const alert = sampleAlert({ created: new Date('2026-03-01T00:00:00Z') });
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'delivered' });
    const [request] = fakeS3.requests;
    expect(request!.method).toBe('PUT');
    expect(decodeURIComponent(new URL(request!.path, fakeS3.url).pathname)).toBe(
      `/acme-alerts/alerts/dt=2026-03-01-00/cloudtrail_root_account_usage_${alert.id}.json`,
    );
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toEqual(toAlertDocument(alert));
  });

  it.each([
    [503, 'SlowDown', 'Please reduce your request rate.', 'retry', 'rate_limited'],
    [500, 'InternalError', 'We encountered an internal error. Please try again.', 'retry', 'server_error'],
    [403, 'AccessDenied', 'Access Denied', 'failed', 'auth'],
    [404, 'NoSuchBucket', 'The specified bucket does not exist', 'failed', 'not_found'],
    [400, 'InvalidArgument', 'Invalid argument.', 'failed', 'client_error'],
  ])('classifies HTTP %i %s as %s (%s), naming the bucket', async (status, code, message, kind, reason) => {
    fakeS3.script({ status, headers: { 'content-type': 'application/xml' }, body: s3ErrorXml(code, message) });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain('S3 bucket acme-alerts');
    expect(result.kind !== 'delivered' && result.message).toContain(code);
  });

  it('retries a hang as a timeout and a reset as a connection failure', async () => {
    const alert = sampleAlert();
    fakeS3.script('hang');
    const hung = await output(hangingClients).dispatch(alert, toAlertDocument(alert));
    expect(hung).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(hung.kind === 'retry' && hung.message).toContain('S3 bucket acme-alerts');
    fakeS3.script('reset');
    expect(await output().dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'retry', reason: 'connection' });
  });
});

/** S3's REST error body: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses */
function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>`;
}
