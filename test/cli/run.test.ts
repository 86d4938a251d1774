import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.ts';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, cloudtrailEvent, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, knownSecret } from '../support/secrets.ts';

const RULES = {
  'rules/duo_fraud.ts': `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts', 'pagerduty:oncall'], severity: 'error', description: 'Duo fraud' },
  (rec) => rec.result === 'fraud');
`,
  'rules/root_login.ts': `import { rule } from 'streamalert';
export const root_login = rule({ logs: ['cloudtrail:events'], outputs: ['aws-s3:audit'], description: 'Root used' },
  (rec) => rec.userIdentity.type === 'Root');
export const throws_on_bob = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] },
  (rec) => { if (rec.user.name === 'bob@example.com') throw new Error('boom'); return false; });
`,
};

/** Configures one output through the real CLI, as a user would. */
function configure(dir: string, env: NodeJS.ProcessEnv, service: string, values: object): void {
  const run = streamalert(['--project', dir, 'output', 'new', '--service', service, '--from-file', '-'], { env, input: JSON.stringify(values) });
  expect(run.status, run.stderr).toBe(0);
}

function ndjson(dir: string, name: string, records: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return path;
}

describe.skipIf(noMoto)('streamalert run, end to end', () => {
  let slack: LoopbackReceiver;
  let pagerduty: LoopbackReceiver;
  const aws = new AwsClients();
  let dir: string;
  let bucket: string;
  const env = isolatedEnv();
  const slackPath = `/services/T0/B0/${knownSecret('hook')}`;
  const routingKey = knownSecret('routing');

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    pagerduty = await LoopbackReceiver.start();
    pagerduty.respond((request) => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: (request.json as { dedup_key: string }).dedup_key } }));
    bucket = uniqueName('run-audit');
    await (await aws.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
    dir = tempProject({ ...SCHEMAS, ...RULES, 'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } } });
    configure(dir, env, 'slack', { descriptor: 'sec-alerts', url: slack.url + slackPath });
    configure(dir, env, 'pagerduty', { descriptor: 'oncall', routing_key: routingKey, url: `${pagerduty.url}/v2/enqueue` });
    configure(dir, env, 'aws-s3', { descriptor: 'audit', bucket });
  });
  afterAll(async () => {
    aws.destroy();
    await slack.close();
    await pagerduty.close();
  });
  beforeEach(() => {
    slack.requests.length = 0;
    pagerduty.requests.length = 0;
  });

  it('classifies, runs the rules and delivers each alert to every output its rule names', async () => {
    const input = ndjson(dir, 'mixed.ndjson', [
      duoRecord({ user: { name: 'alice@example.com', key: 'K1' } }),
      { Records: [cloudtrailEvent(), cloudtrailEvent({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/x' } })] },
      { hello: 'not a known log' },
      duoRecord({ result: 'success', reason: 'user_approved', user: { name: 'carol@example.com', key: 'K2' } }),
    ]);
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);

    expect(run.stdout).toMatch(/Read 4 input records/);
    expect(run.stdout).toMatch(/classified\s+4 +\(cloudtrail:events: 2; duo:authentication: 2\)/);
    expect(run.stdout).toMatch(/unclassified\s+1/);
    expect(run.stdout).toMatch(/duo_fraud\s+1/);
    expect(run.stdout).toMatch(/root_login\s+1/);
    expect(run.stdout).toMatch(/slack:sec-alerts\s+1 delivered/);
    expect(run.stdout).toMatch(/pagerduty:oncall\s+1 delivered/);
    expect(run.stdout).toMatch(/aws-s3:audit\s+1 delivered/);

    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe(slackPath);
    expect(JSON.stringify(slack.requests[0]!.json)).toContain('Rule triggered: duo_fraud');
    const event = pagerduty.requests[0]!.json as { routing_key: string; event_action: string; dedup_key: string; payload: { severity: string; custom_details: unknown } };
    expect(event).toMatchObject({ routing_key: routingKey, event_action: 'trigger', payload: { severity: 'error' } });
    expect(event.payload.custom_details).toMatchObject({ user: { name: 'alice@example.com' } });

    const listed = await (await aws.s3()).send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^alerts\/dt=\d{4}-\d{2}-\d{2}-\d{2}\/root_login_[0-9a-f-]{36}\.json$/);
    const stored = JSON.parse(await (await (await aws.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }))).Body!.transformToString());
    expect(stored).toMatchObject({ rule_name: 'root_login', outputs: ['aws-s3:audit'], record: { eventName: 'ConsoleLogin' } });
    // Where the record came from, as StreamAlert stamps it: run reads files; embedded, the cluster is 'local'.
    expect(stored).toMatchObject({ source_service: 'file', source_entity: input, cluster: 'local' });
    expect(stored.id).toBe(keys[0]!.slice(-41, -5));

    expect(run.stdout + run.stderr).not.toContain(routingKey);
    expect(run.stdout + run.stderr).not.toContain(slackPath);
  });

  it('counts a rule that throws, names it and the record, goes on, and exits 1 for it', async () => {
    const input = ndjson(dir, 'bob.ndjson', [duoRecord(), duoRecord({ user: { name: 'dave@example.com', key: 'K3' } })]);
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/rule errors\s+1 +\(throws_on_bob: 1\)/);
    expect(run.stderr).toMatch(/throws_on_bob.*record 1.*boom/s);
    expect(run.stdout).toMatch(/duo_fraud\s+2/);
    expect(run.stdout).toMatch(/slack:sec-alerts\s+2 delivered/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 rule error: exit 1 (--allow-errors accepts them)');
  });

  it('retries a failing output within the run and reports what could not be delivered, exit 1', async () => {
    slack.script({ status: 503, body: 'unavailable' });
    pagerduty.script({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Length of summary is too long'] } });
    const input = ndjson(dir, 'fraud.ndjson', [duoRecord()]);
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    expect(run.status).toBe(1);
    expect(slack.requests).toHaveLength(2);
    expect(run.stdout).toMatch(/slack:sec-alerts\s+1 delivered/);
    expect(run.stdout).toMatch(/pagerduty:oncall\s+0 delivered, 1 failed/);
    expect(run.stdout).toContain('Length of summary is too long');
  });

  it('narrows classification with --log-type and reads standard input', async () => {
    const records = [duoRecord(), { Records: [cloudtrailEvent()] }].map((r) => JSON.stringify(r)).join('\n');
    const run = await streamalertAsync(['--project', dir, 'run', '--input', '-', '--log-type', 'cloudtrail', '--json'], { env, input: records });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.stats).toMatchObject({ classified: 1, unclassified: 1, classified_by_log_type: { 'cloudtrail:events': 1 } });
    expect(summary.deliveries['aws-s3:audit']).toEqual({ delivered: 1, pending: 0, failed: 0 });
  });

  it('says which input is missing, exit 2', () => {
    const run = streamalert(['--project', dir, 'run', '--input', join(dir, 'nope.ndjson')], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('input not found');
  });
});
