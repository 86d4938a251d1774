import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertProcessor, rulesEngine } from '../../src/lambda/handlers.ts';
import { loadProject } from '../../src/config/project.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { openAlertStore } from '../../src/store/open.ts';
import { ROOT, streamalert } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, cloudtrailEvent, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const RULE = `import { rule } from 'streamalert';
export const root_login = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.userIdentity.type === 'Root');
`;

describe('the Lambda entry module', () => {
  it('loads under plain node, exporting every handler', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(ROOT, 'bin', 'lambda.js'))}); console.log(typeof m.rulesEngine, typeof m.alertProcessor, typeof m.alertStreamProcessor);`], { encoding: 'utf8' });
    expect(run.stdout.trim(), run.stderr).toBe('function function function');
  });
});

describe.skipIf(noMoto)('the Lambda handlers, against moto', () => {
  let slack: LoopbackReceiver;
  const aws = new AwsClients();
  const saved = { ...process.env };

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    const env = isolatedEnv();
    const prefix = uniqueName('lambda').toLowerCase();
    const dir = tempProject({
      ...SCHEMAS,
      'rules/root_login.ts': RULE,
      'conf/global.json': { account: { prefix, region: 'us-east-1' }, store: { backend: 'dynamodb' } },
    });
    for (const args of [
      ['output', 'new', '--service', 'slack', '--from-file', '-'],
      ['store', 'setup'],
    ]) {
      const run = streamalert(['--project', dir, ...args], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }) });
      expect(run.status, run.stderr).toBe(0);
    }
    // As the function would be configured: the packaged project and where its key is.
    Object.assign(process.env, { STREAMALERT_PROJECT: dir, HOME: env.HOME, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
  });
  afterAll(async () => {
    process.env = saved;
    aws.destroy();
    await slack.close();
  });

  it('rulesEngine stores the alerts of a CloudTrail file named by an S3 notification, and of direct records', async () => {
    const bucket = uniqueName('cloudtrail');
    const key = 'AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/trail file.json.gz';
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    const file = { Records: [cloudtrailEvent(), cloudtrailEvent({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' } })] };
    await (await aws.s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify(file)) }));

    const notified = await rulesEngine({ Records: [{ s3: { bucket: { name: bucket }, object: { key: key.replace(/ /g, '+') } } }] });
    expect(notified).toEqual({ read: 2, classified: 2, unclassified: 0, alerts: 1, unparseable: 0, suppressed: {} });

    const direct = await rulesEngine({ log_type: 'cloudtrail', records: [{ Records: [cloudtrailEvent({ eventName: 'CreateUser' })] }] });
    expect(direct).toEqual({ read: 1, classified: 1, unclassified: 0, alerts: 1, unparseable: 0, suppressed: {} });

    // Each alert says where its record came from: the bucket, or the function invoked directly.
    const store = await openAlertStore(loadProject(process.env.STREAMALERT_PROJECT!));
    try {
      const sources = (await store.list()).map(({ alert }) => [alert.record.eventName, alert.sourceService, alert.sourceEntity]);
      expect(sources).toEqual(expect.arrayContaining([['ConsoleLogin', 's3', bucket], ['CreateUser', 'lambda', 'direct invocation']]));
    } finally {
      store.close();
    }
  });

  it('alertProcessor delivers what the rules engine stored, within the invocation time', async () => {
    const result = await alertProcessor({}, { getRemainingTimeInMillis: () => 60_000 });
    expect(result).toEqual({ deliveries: { 'slack:sec-alerts': { delivered: 2, failed: 0 } }, pending: {} });
    expect(slack.requests.map((r) => JSON.stringify(r.json)).filter((body) => body.includes('Rule triggered: root_login'))).toHaveLength(2);
  });
});
