import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { Deadline } from '../../src/outputs/deadline.ts';
import { HttpClient, MAX_BODY_BYTES } from '../../src/outputs/http/client.ts';
import { OutputBase, type Publication } from '../../src/outputs/output.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { delivered, type DispatchResult } from '../../src/outputs/result.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext, type Alert } from '../support/outputs.ts';

/** Headers at once, then one byte every 50 ms for as long as the client listens: never a gap undici's bodyTimeout would see. */
function trickle(status: number) {
  return (response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    const timer = setInterval(() => response.write('.'), 50);
    response.on('close', () => clearInterval(timer));
  };
}

interface Sent {
  bytes: number;
  /** The whole body went out. */
  finished: boolean;
  /** The connection closed, whether or not the body was finished. */
  closed: boolean;
}

/** A body of `totalBytes` written in 64 KB chunks as fast as the client reads them. */
function hugeBody(status: number, totalBytes: number, sent: Sent) {
  const chunk = Buffer.alloc(64 * 1024, 'e');
  return (response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'text/html', 'content-length': String(totalBytes) });
    response.on('close', () => (sent.closed = true));
    const write = () => {
      while (sent.bytes < totalBytes) {
        sent.bytes += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', write);
      }
      response.end(() => (sent.finished = true));
    };
    write();
  };
}

let receiver: LoopbackReceiver;
beforeAll(async () => {
  receiver = await LoopbackReceiver.start();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
});

describe('a request has one deadline, from sending to the end of the answer', () => {
  const http = new HttpClient({ timeoutMs: 300 });
  afterAll(() => http.close());

  it.each([200, 500])('ends a body trickled after HTTP %i as a timeout, after one request', async (status) => {
    receiver.script(trickle(status));
    const outcome = await http.send({ method: 'POST', url: `${receiver.url}/hook`, json: { text: 'x' } });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'timeout', message: `${receiver.url} did not answer within 300 ms` } });
    expect(receiver.requests).toHaveLength(1);
  });

  it('keeps a 2xx whose ignored body trickles past the deadline a success: the alert is not sent again', async () => {
    receiver.script(trickle(200));
    // Patient enough for the headers on a loaded machine; the body trickles on past it.
    const patient = new HttpClient({ timeoutMs: 5_000 });
    const outcome = await patient.send({ method: 'POST', url: `${receiver.url}/hook`, json: { text: 'x' }, ignoreSuccessBody: true }).finally(() => patient.close());
    expect(outcome).toMatchObject({ ok: true, response: { status: 200 } });
    expect(receiver.requests).toHaveLength(1);
  });

  it('is cut short by the attempt deadline it is given', async () => {
    receiver.script('hang');
    const attempt = new Deadline(100, 'attempt');
    const patient = new HttpClient({ timeoutMs: 600_000 });
    const outcome = await patient.send({ method: 'POST', url: `${receiver.url}/hook`, json: {}, signal: attempt.signal });
    expect(outcome).toMatchObject({ ok: false, result: { kind: 'retry', reason: 'timeout', message: `${receiver.url} did not answer within the attempt's deadline of 100 ms` } });
    attempt.clear();
    await patient.close();
  });
});

describe('an attempt has one deadline for all its requests', () => {
  const patient = testContext(600_000);
  const alert = sampleAlert();

  it('ends a SOAR attempt whose second request hangs, and makes no third', async () => {
    receiver.script({ status: 200, body: { count: 1, data: [{ id: 5 }] } }, 'hang');
    const phantom = makeOutput(patient, 'phantom', { url: new Secret(receiver.url), ph_auth_token: new Secret('tok3n-0f-the-soar-user') });
    // Long enough for the first answer on a loaded machine; the second request hangs past it.
    const result = await phantom.attempt(alert, toAlertDocument(alert), 2_000);
    expect(result).toMatchObject({ kind: 'retry', reason: 'timeout', message: expect.stringContaining("did not answer within the attempt's deadline of 2000 ms") });
    expect(receiver.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual(['GET /rest/container', 'GET /rest/artifact']);
  });

  it('ends an attempt of an output that ignores its signal', async () => {
    receiver.script('hang');
    // Its request still ends at its own deadline, which must come for the context to close.
    const careless = new CarelessOutput({ descriptor: 'careless', values: { url: receiver.url } }, testContext(5_000));
    const result = await careless.attempt(alert, toAlertDocument(alert), 200);
    expect(result).toEqual({ kind: 'retry', reason: 'timeout', message: "careless:careless did not answer within the attempt's deadline of 200 ms" });
  });

  it('ends an AWS call whose error body trickles, after one request', async () => {
    const aws = new AwsClients({ endpoint: receiver.url, timeoutMs: 300 });
    receiver.script(trickle(500));
    const s3 = createOutput('aws-s3', { descriptor: 'audit', values: { bucket: 'acme-alerts' } }, { ...patient, aws });
    expect(await s3.dispatch(alert, toAlertDocument(alert))).toEqual({ kind: 'retry', reason: 'timeout', message: 'S3 bucket acme-alerts did not answer within 300 ms' });
    expect(receiver.requests).toHaveLength(1);
    aws.destroy();
  });

  it("ends an AWS call that hangs at the attempt's deadline", async () => {
    const aws = new AwsClients({ endpoint: receiver.url, timeoutMs: 600_000 });
    receiver.script('hang');
    const lambda = createOutput('aws-lambda', { descriptor: 'enrich', values: { function_name: 'enrich' } }, { ...patient, aws });
    const result = await lambda.attempt(alert, toAlertDocument(alert), 200);
    expect(result).toMatchObject({ kind: 'retry', reason: 'timeout', message: expect.stringContaining("Lambda function enrich did not answer within the attempt's deadline of 200 ms") });
    aws.destroy();
  });
});

describe('response bodies are read up to a cap', () => {
  const context = testContext(60_000);
  const alert = sampleAlert();

  it('classifies a 50 MB error page without reading it: server_error, the rest never sent, memory flat', async () => {
    const sent: Sent = { bytes: 0, finished: false, closed: false };
    receiver.script(hugeBody(500, 50 * 1024 * 1024, sent));
    const slack = makeOutput(context, 'slack', { url: new Secret(`${receiver.url}/services/T0/B0/XXXXXXXXXXXX`) });
    const rssBefore = process.memoryUsage().rss;

    const result = await slack.dispatch(alert, toAlertDocument(alert));

    expect(result).toMatchObject({ kind: 'retry', reason: 'server_error', message: expect.stringMatching(/answered HTTP 500: e{200}/) });
    await waitUntil(() => sent.closed);
    expect(sent.finished).toBe(false);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('still reads the success answers outputs parse, past a body over the cap', async () => {
    receiver.script({ status: 202, body: { status: 'success', dedup_key: 'pd-dedup-7', padding: 'p'.repeat(MAX_BODY_BYTES) } });
    const pagerduty = makeOutput(context, 'pagerduty', { routing_key: new Secret('R0UT1NGKEY00000000000000000000aa'), url: `${receiver.url}/v2/enqueue` });
    // The cut body is not JSON: PagerDuty's answer is unreadable, so the reference is our own dedup_key, the alert id.
    expect(await pagerduty.dispatch(alert, toAlertDocument(alert))).toEqual(delivered(alert.id));
    receiver.script({ status: 202, body: { status: 'success', dedup_key: 'pd-dedup-7' } });
    expect(await pagerduty.dispatch(alert, toAlertDocument(alert))).toEqual(delivered('pd-dedup-7'));
  });
});

/** A user's output that sends without passing its attempt's signal on. */
class CarelessOutput extends OutputBase {
  static override readonly service = 'careless';

  async dispatch(_alert: Alert, publication: Publication): Promise<DispatchResult> {
    const outcome = await this.context.http.send({ method: 'POST', url: this.setting('url'), json: publication });
    return outcome.ok ? delivered() : outcome.result;
  }
}
