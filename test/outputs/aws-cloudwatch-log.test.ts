import { describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { CloudwatchLogOutput, LOG_EVENT } from '../../src/outputs/aws-cloudwatch-log/aws-cloudwatch-log.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import type { OutputBase } from '../../src/outputs/output.ts';
import { logGroup } from './contract/aws-cloudwatch-log.contract.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { motoThroughProxy, scriptedAws, withClient } from '../support/moto-clients.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

describe('aws-cloudwatch-log declaration', () => {
  it('keeps the log group as its AWS resource, the stream as a setting with a default, and declares the event limit', () => {
    expect(CloudwatchLogOutput.resourceProperty).toBe('log_group');
    expect(CloudwatchLogOutput.properties.log_stream).toMatchObject({ value: 'streamalert-alerts', credRequirement: false });
    // One event in a batch of 1,048,576 bytes, which counts 26 bytes for each event.
    expect(CloudwatchLogOutput.limits.message).toEqual({ max: 1_048_550, unit: 'bytes', over: 'failed' });
  });
});

describe.skipIf(noMoto)('aws-cloudwatch-log output against moto', () => {
  const moto = motoThroughProxy();
  const output = (values: Record<string, string>): OutputBase => createOutput('aws-cloudwatch-log', { descriptor: 'alerts', values }, { ...context, aws: moto.clients });
  /** The CloudWatch Logs operations made, in order (the JSON protocol names each in X-Amz-Target). */
  const operations = () => moto.server.exchanges.map((exchange) => String(exchange.headers['x-amz-target']).replace('Logs_20140328.', ''));

  it('creates a missing stream once and logs into it, stamping each event with the time of delivery', async () => {
    const { group, stream, messages } = await logGroup();
    const alert = sampleAlert();
    const before = Date.now();
    expect(await output({ log_group: group, log_stream: stream }).dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'delivered', reference: `${group}:${stream}` });
    expect(await output({ log_group: group, log_stream: stream }).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    const after = Date.now();

    expect(operations()).toEqual(['PutLogEvents', 'CreateLogStream', 'PutLogEvents', 'PutLogEvents']);
    expect(await messages()).toEqual([JSON.stringify(toAlertDocument(alert)), JSON.stringify(toAlertDocument(alert))]);
    const { events = [] } = await withClient(new CloudWatchLogsClient({}), (logs) => logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true })));
    for (const event of events) {
      expect(event.timestamp).toBeGreaterThanOrEqual(before);
      expect(event.timestamp).toBeLessThanOrEqual(after);
    }
  });

  it("logs into the stream 'streamalert-alerts' when none is configured", async () => {
    const { group } = await logGroup();
    expect(await output({ log_group: group }).dispatch(sampleAlert(), { n: 1 })).toEqual({ kind: 'delivered', reference: `${group}:streamalert-alerts` });
  });

  it('fails not_found, naming the group, when the log group does not exist: it creates no group', async () => {
    const group = `/streamalert/${uniqueName('missing')}`;
    const result = await output({ log_group: group }).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found' });
    expect(result.kind === 'failed' && result.message).toContain(`the log group ${group} does not exist`);
    expect(operations()).toEqual(['PutLogEvents', 'CreateLogStream']);
  });

  it('logs an event of exactly the limit, and fails one byte over it without calling CloudWatch', async () => {
    const { group, stream, messages } = await logGroup();
    const fits = { blob: 'x'.repeat(LOG_EVENT.bytes - '{"blob":""}'.length) };
    expect(await output({ log_group: group, log_stream: stream }).dispatch(sampleAlert(), fits)).toMatchObject({ kind: 'delivered' });
    expect((await messages()).map((message) => Buffer.byteLength(message))).toEqual([LOG_EVENT.bytes]);

    moto.server.exchanges.length = 0;
    const over = { blob: 'é'.repeat(LOG_EVENT.bytes / 2) };
    const result = await output({ log_group: group, log_stream: stream }).dispatch(sampleAlert(), over);
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toContain('over the 1,048,550-byte (1 MiB batch less 26 bytes) log event limit');
    expect(operations()).toEqual([]);
  });
});

// CloudWatch Logs answers 200 even when it keeps no event: rejectedLogEventsInfo says which it
// dropped. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html#API_PutLogEvents_ResponseSyntax
describe('aws-cloudwatch-log output against a scripted CloudWatch Logs endpoint', () => {
  const aws = scriptedAws();

  it('fails client_error when the 200 answer says the event was rejected', async () => {
    aws.server.script({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ rejectedLogEventsInfo: { tooOldLogEventEndIndex: 0 } }) });
    const result = await createOutput('aws-cloudwatch-log', { descriptor: 'alerts', values: { log_group: '/streamalert/alerts' } }, { ...context, aws: aws.clients }).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error' });
    expect(result.kind === 'failed' && result.message).toContain('rejected the alert\'s event in CloudWatch log stream /streamalert/alerts:streamalert-alerts: {"tooOldLogEventEndIndex":0}');
  });
});
