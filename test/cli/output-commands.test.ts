import { GetObjectCommand, CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { isolatedEnv, knownSecret, makeProject } from '../support/secrets.ts';

function configure(projectDir: string, env: NodeJS.ProcessEnv, service: string, values: object) {
  const run = streamalert(['--project', projectDir, 'output', 'new', '--service', service, '--from-file', '-'], { env, input: JSON.stringify(values) });
  expect(run.status, run.stderr).toBe(0);
}

describe('streamalert output test against a loopback Slack webhook', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  it('sends a labelled test alert and exits 0 when delivered', async () => {
    const project = makeProject();
    const env = isolatedEnv();
    const token = knownSecret('hookpath');
    configure(project.dir, env, 'slack', { descriptor: 'sec-alerts', url: `${slack.url}/services/${token}` });

    const run = await streamalertAsync(['--project', project.dir, 'output', 'test', 'slack:sec-alerts'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('slack:sec-alerts: delivered');
    const request = slack.requests.at(-1)!;
    expect(request.path).toBe(`/services/${token}`);
    expect(JSON.stringify(request.json)).toContain('streamalert_output_test');
    expect(JSON.stringify(request.json)).toContain('no action is needed');
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('prints the reason and the retry hint, exit 1, when the service refuses', async () => {
    const project = makeProject();
    const env = isolatedEnv();
    const token = knownSecret('hookpath');
    configure(project.dir, env, 'slack', { descriptor: 'sec-alerts', url: `${slack.url}/services/${token}` });
    slack.script({ status: 429, headers: { 'retry-after': '12' }, body: 'rate_limited' });

    const run = await streamalertAsync(['--project', project.dir, 'output', 'test', 'slack:sec-alerts'], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('not delivered, worth retrying (rate_limited)');
    expect(run.stdout).toContain('wait 12 s');
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('fails that output only, naming it and why, worth retrying once the master key is back, when its secret cannot be read', () => {
    const project = makeProject();
    const env = isolatedEnv();
    configure(project.dir, env, 'slack', { descriptor: 'sec-alerts', url: `${slack.url}/services/x` });
    const run = streamalert(['--project', project.dir, 'output', 'test', 'slack:sec-alerts'], { env: isolatedEnv() });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('slack:sec-alerts: not delivered, worth retrying (config)');
    expect(run.stdout).toContain('there is no master key');
  });
});

describe('streamalert output list, get and delete', () => {
  it('lists in text and JSON, shows secrets masked, deletes config and secret', () => {
    const project = makeProject();
    const env = isolatedEnv();
    const key = knownSecret('routing');
    configure(project.dir, env, 'pagerduty', { descriptor: 'oncall', routing_key: key });
    configure(project.dir, env, 'aws-s3', { descriptor: 'audit', bucket: 'acme-alerts' });

    const list = streamalert(['--project', project.dir, 'output', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual([
      { service: 'aws-s3', descriptor: 'audit' },
      { service: 'pagerduty', descriptor: 'oncall' },
    ]);
    expect(streamalert(['--project', project.dir, 'output', 'list'], { env }).stdout).toContain('aws-s3:audit  -> acme-alerts');

    const get = streamalert(['--project', project.dir, 'output', 'get', 'pagerduty:oncall'], { env });
    // That it is set, and nothing of it: not even its length.
    expect(get.stdout).toContain('routing_key: **** (set)\n');
    expect(get.stdout).toContain('url: https://events.pagerduty.com/v2/enqueue (default)');
    expect(get.stdout).not.toContain(key);

    const deleted = streamalert(['--project', project.dir, 'output', 'delete', 'pagerduty:oncall'], { env });
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(JSON.parse(streamalert(['--project', project.dir, 'output', 'list', '--json'], { env }).stdout)).toEqual([{ service: 'aws-s3', descriptor: 'audit' }]);
    const again = streamalert(['--project', project.dir, 'output', 'get', 'pagerduty:oncall'], { env });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('no output pagerduty:oncall is configured');
    expect(again.stderr).toContain('Configured: aws-s3:audit');
  });

  it('rejects a malformed output name with exit 2', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'get', 'slack'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('use service:descriptor');
  });
});

describe.skipIf(noMoto)('streamalert output test against moto S3', () => {
  const aws = new AwsClients();
  afterAll(() => aws.destroy());

  it('puts the test alert in the bucket and prints its s3:// reference', async () => {
    const bucket = uniqueName('cli-test');
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    const project = makeProject();
    const env = isolatedEnv();
    configure(project.dir, env, 'aws-s3', { descriptor: 'audit', bucket });

    const run = streamalert(['--project', project.dir, 'output', 'test', 'aws-s3:audit'], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`aws-s3:audit: delivered \\(reference: s3://${bucket}/alerts/dt=\\d{4}-\\d{2}-\\d{2}-\\d{2}/streamalert_output_test_`));
    const listed = await (await aws.s3()).send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents).toHaveLength(1);
    const object = await (await aws.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: listed.Contents![0]!.Key! }));
    expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({ rule_name: 'streamalert_output_test', outputs: ['aws-s3:audit'] });
  });

  it('names the missing bucket, exit 1', () => {
    const project = makeProject();
    const env = isolatedEnv();
    const bucket = uniqueName('missing');
    configure(project.dir, env, 'aws-s3', { descriptor: 'audit', bucket });
    const run = streamalert(['--project', project.dir, 'output', 'test', 'aws-s3:audit'], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('failed (not_found)');
    expect(run.stdout).toContain(bucket);
  });
});
