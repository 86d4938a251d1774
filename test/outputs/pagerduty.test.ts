import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildTriggerEvent, PAGERDUTY_LIMITS, truncate, type PagerDutyTriggerEvent } from '../../src/outputs/pagerduty/event.ts';
import { PAGERDUTY_EVENTS_URL, PagerDutyOutput } from '../../src/outputs/pagerduty/pagerduty.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { deliver } from '../../src/delivery/deliver.ts';
import { publish } from '../../src/publishers/publish.ts';
import { publicAclAlert } from '../publishers/alerts.ts';

const context = testContext();
const ROUTING_KEY = 'R0UT1NGK3Y0123456789abcdef012345';
const ENQUEUE_PATH = '/v2/enqueue';

/** PagerDuty's documented success answer, echoing the event's dedup_key. */
const accepted = (dedupKey: string) => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } });

describe('PagerDuty trigger event', () => {
  it('keeps the summary within 1,024 characters, ending in an ellipsis', () => {
    const alert = sampleAlert({ ruleDescription: 'x'.repeat(5000) });
    const { summary } = buildTriggerEvent(alert, toAlertDocument(alert), ROUTING_KEY).payload;
    expect(summary).toHaveLength(PAGERDUTY_LIMITS.summaryChars);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.startsWith('Rule triggered: cloudtrail_root_account_usage - xxx')).toBe(true);
  });

  it('never splits a surrogate pair when truncating', () => {
    const cut = truncate('ab😀cd', 4); // the emoji takes units 2-3: keeping it whole would need 5
    expect(cut).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('never leaves source empty', () => {
    const alert = sampleAlert({ sourceEntity: '', logSource: '' });
    expect(buildTriggerEvent(alert, toAlertDocument(alert), ROUTING_KEY).payload.source).toBe('streamalert');
    const withLogSource = sampleAlert({ sourceEntity: '' });
    expect(buildTriggerEvent(withLogSource, toAlertDocument(withLogSource), ROUTING_KEY).payload.source).toBe('cloudtrail:events');
  });

  it('cuts an oversized record to an excerpt so the page still goes out', () => {
    const alert = sampleAlert({ record: { blob: 'y'.repeat(PAGERDUTY_LIMITS.eventBytes) } });
    const event = buildTriggerEvent(alert, toAlertDocument(alert), ROUTING_KEY);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(PAGERDUTY_LIMITS.eventBytes);
    const details = event.payload.custom_details as { note: string; record_excerpt: string };
    expect(details.note).toMatch(/The record was cut: the event was \d+ bytes/);
    expect(details.record_excerpt.startsWith('{"blob":"yyy')).toBe(true);
  });

  it('declares the public endpoint as the default url, and the routing key as a secret', () => {
    expect(PagerDutyOutput.properties.url.value).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(PAGERDUTY_EVENTS_URL).toBe(PagerDutyOutput.properties.url.value);
    expect(PagerDutyOutput.properties.routing_key).toMatchObject({ maskInput: true, credRequirement: true });
    expect(PagerDutyOutput.properties.url).toMatchObject({ maskInput: false, credRequirement: false, optional: true });
  });
});

describe('PagerDuty output against a loopback Events API', () => {
  let pagerduty: LoopbackReceiver;
  beforeAll(async () => {
    pagerduty = await LoopbackReceiver.start();
  });
  afterAll(() => pagerduty.close());
  beforeEach(() => {
    pagerduty.requests.length = 0;
  });

  const output = (outputContext = context) =>
    makeOutput(outputContext, 'pagerduty', { routing_key: new Secret(ROUTING_KEY), url: pagerduty.url + ENQUEUE_PATH }, 'oncall');

  it('posts a documented trigger event and takes the dedup_key PagerDuty answers as reference', async () => {
    pagerduty.script(accepted('answered-by-pagerduty'));
    const alert = sampleAlert({ severity: 'warning' });
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: 'answered-by-pagerduty' });

    const [request] = pagerduty.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(ENQUEUE_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: alert.id,
      client: 'StreamAlert',
      payload: {
        summary: 'Rule triggered: cloudtrail_root_account_usage - The root account was used: <investigate> & rotate',
        source: 'acme-cloudtrail',
        severity: 'warning',
        timestamp: alert.created.toISOString(),
        component: 's3',
        group: 'cloudtrail_root_account_usage',
        class: 'cloudtrail:events',
        custom_details: alert.record,
      },
    });
  });

  it('sends the same dedup_key on every attempt, so a retry never opens a second incident', async () => {
    pagerduty.respond((request) => accepted((request.json as PagerDutyTriggerEvent).dedup_key));
    const alert = sampleAlert();
    const first = await output().dispatch(alert, toAlertDocument(alert));
    const second = await output().dispatch(alert, toAlertDocument(alert));
    const keys = pagerduty.requests.map((request) => (request.json as PagerDutyTriggerEvent).dedup_key);
    expect(keys).toEqual([alert.id, alert.id]);
    expect(first).toEqual({ kind: 'delivered', reference: alert.id });
    expect(second).toEqual(first);
    const other = sampleAlert();
    await output().dispatch(other, toAlertDocument(other));
    expect((pagerduty.requests[2]!.json as PagerDutyTriggerEvent).dedup_key).toBe(other.id);
  });

  it('uses publisher overrides and keeps only valid links and images', async () => {
    pagerduty.script(accepted('k'));
    const alert = sampleAlert();
    await output().dispatch(alert, {
      ...toAlertDocument(alert),
      '@pagerduty.summary': 'Root login from 203.0.113.7',
      '@pagerduty.custom_details': { ip: '203.0.113.7' },
      '@pagerduty.links': [{ href: 'https://runbooks.example.com/root', text: 'Runbook' }, { text: 'no href' }, 'junk', { href: 'https://example.com/x' }],
      '@pagerduty.images': [{ src: 'https://example.com/graph.png', alt: 'graph' }, { href: 'https://no-src' }],
    });
    const event = pagerduty.requests[0]!.json as PagerDutyTriggerEvent;
    expect(event.payload.summary).toBe('Root login from 203.0.113.7');
    expect(event.payload.custom_details).toEqual({ ip: '203.0.113.7' });
    expect(event.links).toEqual([{ href: 'https://runbooks.example.com/root', text: 'Runbook' }, { href: 'https://example.com/x' }]);
    expect(event.images).toEqual([{ src: 'https://example.com/graph.png', alt: 'graph' }]);
  });

  it("reads StreamAlert's Events API v2 fields first, over ours and v1's", async () => {
    pagerduty.script(accepted('k'));
    const alert = sampleAlert();
    await output().dispatch(alert, {
      '@pagerduty-v2.summary': 'v2 summary',
      '@pagerduty.summary': 'our summary',
      '@pagerduty.description': 'v1 description',
      '@pagerduty-v2.custom_details': { from: 'v2' },
      '@pagerduty.details': { from: 'v1' },
      '@pagerduty-v2.severity': 'warning',
      '@pagerduty-v2.client_url': 'https://console.example.com/alerts/1',
      '@pagerduty-v2.component': 'iam',
      '@pagerduty-v2.group': 'prod',
      '@pagerduty-v2.class': 'root-login',
      '@pagerduty-v2.links': [{ href: 'https://runbooks.example.com/root' }],
      '@pagerduty-v2.images': [{ src: 'https://example.com/v2.png', href: '', alt: 'v2' }],
      '@pagerduty.contexts': [{ type: 'image', src: 'https://example.com/v1.png' }],
    });
    const event = pagerduty.requests[0]!.json as PagerDutyTriggerEvent;
    expect(event).toMatchObject({
      client_url: 'https://console.example.com/alerts/1',
      payload: { summary: 'v2 summary', severity: 'warning', component: 'iam', group: 'prod', class: 'root-login', custom_details: { from: 'v2' } },
      links: [{ href: 'https://runbooks.example.com/root' }],
      images: [{ src: 'https://example.com/v2.png', alt: 'v2' }],
    });
  });

  it("reads StreamAlert's Events API v1 fields when no other is set, and drops a severity PagerDuty does not know", async () => {
    pagerduty.script(accepted('k'));
    const alert = sampleAlert({ severity: 'error' });
    await output().dispatch(alert, {
      '@pagerduty.description': 'v1 description',
      '@pagerduty.details': { from: 'v1' },
      '@pagerduty.client_url': 'https://console.example.com/alerts/2',
      '@pagerduty.contexts': [{ type: 'link', href: 'https://wiki.example.com', text: 'Wiki' }, { type: 'image', src: 'https://example.com/v1.png' }, { type: 'video', src: 'x' }, 'junk'],
      '@pagerduty-v2.severity': 'urgent',
    });
    const event = pagerduty.requests[0]!.json as PagerDutyTriggerEvent;
    expect(event.client_url).toBe('https://console.example.com/alerts/2');
    expect(event.payload).toMatchObject({ summary: 'v1 description', custom_details: { from: 'v1' }, severity: 'error' });
    expect(event.links).toEqual([{ href: 'https://wiki.example.com', text: 'Wiki' }]);
    expect(event.images).toEqual([{ src: 'https://example.com/v1.png' }]);
  });

  it("sends what StreamAlert's PagerDuty publishers made of the alert, each field once", async () => {
    pagerduty.script(accepted('k'));
    const layout = (name: string) => `publishers.community.pagerduty.pagerduty_layout.${name}`;
    const names = ['add_record', 'populate_fields', layout('PrettyPrintArrays'), layout('ShortenTitle'), layout('v2_low_urgency'), layout('AttachImage'), layout('as_custom_details')];
    const alert = publicAclAlert({ 'pagerduty:oncall': names }, { populate_fields: ['eventName', 'bucketName', 'ARN'] });
    const [report] = await deliver(alert, [output()], publish);
    expect(report!.result.kind).toBe('delivered');
    const event = pagerduty.requests[0]!.json as PagerDutyTriggerEvent;
    expect(event.payload).toMatchObject({
      summary: 'cloudtrail_put_object_acl_public',
      severity: 'warning',
      custom_details: { eventName: 'PutObjectAcl', bucketName: 'example-public-bucket', ARN: 'arn:aws:s3:::example-public-bucket/report.csv\n\n----------\n\narn:aws:s3:::example-public-bucket' },
    });
    expect(Object.keys(event.payload.custom_details as object)).toEqual(['eventName', 'bucketName', 'ARN']);
    expect(event.images).toEqual([{ src: 'https://streamalert.io/en/stable/_images/sa-banner.png', href: 'https://streamalert.io/en/stable/', alt: 'StreamAlert Docs' }]);
  });

  it("fails a 400 with PagerDuty's errors in the message, and no routing key", async () => {
    pagerduty.script({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: [`'routing_key' ${ROUTING_KEY} is invalid`, "'payload.severity' is missing"] },
    });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error' });
    expect(result.kind === 'failed' && result.message).toBe(
      `${pagerduty.url} rejected the event (HTTP 400): Event object is invalid: 'routing_key' [secret] is invalid; 'payload.severity' is missing`,
    );
    expectNoSecrets([ROUTING_KEY], result);
  });

  it('fails a 400 whose body is not JSON with the status and body', async () => {
    pagerduty.script({ status: 400, body: 'Bad Request' });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error', message: `${pagerduty.url} answered HTTP 400: Bad Request` });
  });

  it.each([
    [403, 'failed', 'auth'],
    [404, 'failed', 'not_found'],
    [500, 'retry', 'server_error'],
    [503, 'retry', 'server_error'],
  ])('classifies HTTP %i as %s (%s) and keeps the routing key out', async (status, kind, reason) => {
    pagerduty.script({ status, body: { status: 'error', message: `echo ${ROUTING_KEY}` } });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(`HTTP ${status}`);
    expectNoSecrets([ROUTING_KEY], result);
  });

  it('retries a 429 after the Retry-After PagerDuty sends, and without one when it sends none', async () => {
    const alert = sampleAlert();
    pagerduty.script({ status: 429, headers: { 'retry-after': '30' }, body: 'Request Limit Exceeded' });
    const limited = await output().dispatch(alert, toAlertDocument(alert));
    expect(limited).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 30_000 });
    pagerduty.script({ status: 429, body: 'Request Limit Exceeded' });
    const bare = await output().dispatch(alert, toAlertDocument(alert));
    expect(bare).toMatchObject({ kind: 'retry', reason: 'rate_limited' });
    expect(bare).not.toHaveProperty('retryAfterMs');
    expectNoSecrets([ROUTING_KEY], limited, bare);
  });

  it('fails a 400 that only names the routing key as auth: the credential is what to fix', async () => {
    pagerduty.script({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'failed', reason: 'auth', message: `${pagerduty.url} rejected the event (HTTP 400): Event object is invalid: Invalid routing key` });
  });

  it("sends an event of a huge record cut within 512 KB, and fails too_large unsent when a publisher's links alone are over it", async () => {
    pagerduty.respond(() => accepted('k'));
    const huge = sampleAlert({ record: { blob: 'y'.repeat(PAGERDUTY_LIMITS.eventBytes * 2) } });
    expect(await output().dispatch(huge, toAlertDocument(huge))).toMatchObject({ kind: 'delivered' });
    expect(Buffer.byteLength(pagerduty.requests[0]!.body)).toBeLessThanOrEqual(PAGERDUTY_LIMITS.eventBytes);

    const links = Array.from({ length: 5000 }, (_, i) => ({ href: `https://example.com/${'l'.repeat(100)}/${i}` }));
    const result = await output().dispatch(huge, { ...toAlertDocument(huge), '@pagerduty.links': links });
    expect(result).toMatchObject({ kind: 'failed', reason: 'too_large' });
    expect(result.kind === 'failed' && result.message).toMatch(/^the trigger event is [\d,]+ bytes with its record cut, over PagerDuty's 524,288-byte limit/);
    expect(pagerduty.requests).toHaveLength(1);
  });
});
