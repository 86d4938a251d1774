import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { datadogEventsUrl, DatadogOutput } from '../../src/outputs/datadog/datadog.ts';
import { buildDatadogEvent, DATADOG_LIMITS, type DatadogEvent } from '../../src/outputs/datadog/event.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Events API v1: https://docs.datadoghq.com/api/latest/events/#post-an-event
const context = testContext();
const API_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

describe('Datadog event', () => {
  const facts = { severity: 'warning', created: new Date('2026-11-28T07:00:00.900Z'), logSource: 'cloudtrail:events', tags: ['team:security'] } as const;

  it("cuts a long rule name and a huge record to the title's 100 and the text's 4,000 characters, Markdown marks included", () => {
    const record = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`field_${i}`, 'v'.repeat(100)]));
    const event = buildDatadogEvent({ ruleName: 'r'.repeat(300), ruleDescription: 'd'.repeat(5_000), record, alertId: 'a1', created: 'now' }, facts);
    expect(event.title.length).toBe(DATADOG_LIMITS.titleChars);
    expect(event.aggregation_key.length).toBe(DATADOG_LIMITS.aggregationKeyChars);
    expect(event.text.length).toBeLessThanOrEqual(DATADOG_LIMITS.textChars);
    expect(event.text).toMatch(/\(record truncated: \d+ more characters not shown\)\n\nAlert a1\n %%%$/);
    expect(event.tags.every((tag) => tag.length <= DATADOG_LIMITS.tagChars)).toBe(true);
  });

  it('maps the severity to an alert type, dates the event in whole seconds, and tags it with the rule, severity, source and log source', () => {
    const alert = sampleAlert();
    expect(buildDatadogEvent(alertText(alert, toAlertDocument(alert)), facts)).toMatchObject({
      alert_type: 'warning',
      date_happened: 1_795_849_200,
      priority: 'normal',
      tags: ['rule:cloudtrail_root_account_usage', 'severity:warning', 'source:streamalert', 'log_source:cloudtrail:events', 'team:security'],
    });
  });

  it.each([
    ['datadoghq.com', 'https://api.datadoghq.com/api/v1/events'],
    ['datadoghq.eu', 'https://api.datadoghq.eu/api/v1/events'],
    ['us3.datadoghq.com', 'https://api.us3.datadoghq.com/api/v1/events'],
    ['us5.datadoghq.com', 'https://api.us5.datadoghq.com/api/v1/events'],
    ['ap1.datadoghq.com', 'https://api.ap1.datadoghq.com/api/v1/events'],
    ['ddog-gov.com', 'https://api.ddog-gov.com/api/v1/events'],
  ])('posts for the site %s to %s, as the API reference lists', (site, url) => {
    expect(DatadogOutput.properties.site.choices).toContain(site);
    expect(datadogEventsUrl(site)).toBe(url);
  });
});

describe('Datadog output against a loopback API', () => {
  let api: LoopbackReceiver;
  beforeAll(async () => {
    api = await LoopbackReceiver.start();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
  });
  const send = (tags = '') => {
    const alert = sampleAlert();
    return makeOutput(context, 'datadog', { api_key: new Secret(API_KEY), api_url: `${api.url}/api/v1/events`, ...(tags ? { tags } : {}) }).dispatch(alert, toAlertDocument(alert));
  };

  it("keeps the event's id_str as the reference: its number form passes 2^53 and loses digits", async () => {
    api.script({ status: 202, body: '{"status":"ok","event":{"id":5966411939375553254,"id_str":"5966411939375553254"}}' });
    expect(await send()).toEqual({ kind: 'delivered', reference: '5966411939375553254' });
  });

  it('adds the configured tags, comma separated, to every event', async () => {
    api.script({ status: 202, body: { status: 'ok', event: { id: 1 } } });
    expect(await send('team:security,,env:prod,')).toEqual({ kind: 'delivered', reference: '1' });
    expect((api.requests[0]!.json as DatadogEvent).tags.slice(-2)).toEqual(['team:security', 'env:prod']);
  });

  it('retries a 429 without Retry-After after its X-RateLimit-Reset seconds', async () => {
    api.script({ status: 429, headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-period': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }, body: { errors: ['Rate limit exceeded'] } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 12_000 });
  });
});
