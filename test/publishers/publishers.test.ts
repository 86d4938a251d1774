import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert, toAlertDocument, type Alert } from '../../src/alerts/alert.ts';
import { deliver } from '../../src/delivery/deliver.ts';
import { resolvePublishers, publishersFor } from '../../src/publishers/assign.ts';
import { PublisherError } from '../../src/publishers/errors.ts';
import { publicationFor, publish } from '../../src/publishers/publish.ts';
import { findPublisher, publisher, publisherNames } from '../../src/publishers/publisher.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, testContext } from '../support/outputs.ts';

/** A CloudTrail root console sign-in, with the publishers a rule assigned per output. */
function rootAlert(publishers: Record<string, string[]> = {}, fields: Partial<Alert> = {}): Alert {
  return createAlert({
    ruleName: 'cloudtrail_root_account_usage',
    ruleDescription: 'The AWS root user signed in: <investigate> & rotate',
    logSource: 'cloudtrail:events',
    logType: 'json',
    outputs: Object.keys(publishers),
    publishers,
    context: {},
    record: {
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.23',
      readOnly: false,
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
      resources: [{ ARN: 'arn:aws:iam::123456789012:root', sessionToken: 'secret-ish' }],
    },
    ...fields,
  });
}

describe('composing an output’s publication', () => {
  it('is the StreamAlert alert document when the rule names no publishers', () => {
    const alert = rootAlert();
    expect(publicationFor(alert, 'aws-s3:audit')).toEqual(toAlertDocument(alert));
  });

  it('runs the publishers in order, each on its own copy, never changing the alert', () => {
    const order: string[] = [];
    publisher('test_first', (_alert, publication) => {
      order.push('first');
      (publication.record as Record<string, unknown>).eventName = 'changed';
      return { ...publication, step: ['first'] };
    });
    publisher('test_second', (_alert, publication) => {
      order.push('second');
      return { step: [...(publication.step as string[]), 'second'], eventName: (publication.record as Record<string, unknown>).eventName };
    });
    const alert = rootAlert({ 'slack:sec-alerts': ['test_first', 'test_second'] });
    expect(publicationFor(alert, 'slack:sec-alerts')).toEqual({ step: ['first', 'second'], eventName: 'changed' });
    expect(order).toEqual(['first', 'second']);
    expect(alert.record.eventName).toBe('ConsoleLogin');
  });

  it('says which publisher is missing rather than skipping it', () => {
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary', 'removed_since'] });
    expect(() => publicationFor(alert, 'slack:sec-alerts')).toThrow(PublisherError);
    expect(() => publicationFor(alert, 'slack:sec-alerts')).toThrow("publisher 'removed_since' (for slack:sec-alerts, rule cloudtrail_root_account_usage) is not registered");
  });

  it('refuses a publisher that returns something other than an object', () => {
    publisher('test_returns_list', () => [] as never);
    expect(() => publicationFor(rootAlert({ 'slack:x': ['test_returns_list'] }), 'slack:x')).toThrow("publisher 'test_returns_list' returned a list instead of an object");
  });
});

describe('registering publishers', () => {
  it('refuses a second publisher under a name in use, but not the same one twice', () => {
    const fn = (_alert: Alert, publication: Record<string, unknown>) => publication;
    const first = publisher('test_twice', fn);
    expect(publisher('test_twice', fn)).toBe(first);
    expect(() => publisher('test_twice', (_alert, publication) => ({ ...publication }))).toThrow("a publisher named 'test_twice' is already registered");
    expect(() => publisher('slack_summary', (_alert, publication) => publication)).toThrow(PublisherError);
    expect(() => publisher('has space', fn)).toThrow("publisher name 'has space' must be letters, digits and _ . : -");
  });

  it('ships the built-ins', () => {
    expect(publisherNames()).toEqual(expect.arrayContaining(['enumerate_fields', 'pagerduty_custom_details', 'remove_fields', 'remove_internal_fields', 'slack_summary']));
    expect(findPublisher('slack_summary')?.name).toBe('slack_summary');
  });
});

describe('assigning publishers to outputs', () => {
  it('applies a single publisher or a list to every output', () => {
    expect(publishersFor(resolvePublishers('remove_internal_fields', 'rule r'), 'slack:a')).toEqual(['remove_internal_fields']);
    const list = resolvePublishers([findPublisher('remove_internal_fields')!, 'enumerate_fields'], 'rule r');
    expect(publishersFor(list, 'pagerduty:oncall')).toEqual(['remove_internal_fields', 'enumerate_fields']);
  });

  it('runs the service entry before the service:descriptor entry, and nothing for other outputs', () => {
    const byOutput = resolvePublishers({ 'slack:sec-alerts': 'remove_fields', slack: ['slack_summary'], 'slack:beta': 'enumerate_fields' }, 'rule r');
    expect(publishersFor(byOutput, 'slack:sec-alerts')).toEqual(['slack_summary', 'remove_fields']);
    expect(publishersFor(byOutput, 'slack:other')).toEqual(['slack_summary']);
    expect(publishersFor(byOutput, 'aws-s3:audit')).toEqual([]);
  });

  it('names the bad entry of a publishers option', () => {
    expect(() => resolvePublishers({ pagerduty: ['remove_internal_fields', 'pd_layout'] }, 'rules/x.ts: rule x')).toThrow(/^rules\/x\.ts: rule x: publishers\.pagerduty\[1\]: no publisher named 'pd_layout' \(registered: .*slack_summary/);
    expect(() => resolvePublishers(5, 'rule x')).toThrow('rule x: publishers must be a publisher, a list, or an object keyed by service or service:descriptor');
    expect(() => resolvePublishers({ slack: [5] }, 'rule x')).toThrow('rule x: publishers.slack[0]: expected a publisher or a publisher name, got 5');
  });
});

describe('built-in publishers', () => {
  it('remove_internal_fields drops staged, publishers and outputs', () => {
    const publication = publicationFor(rootAlert({ 'pagerduty:oncall': ['remove_internal_fields'] }), 'pagerduty:oncall');
    expect(publication).not.toHaveProperty('staged');
    expect(publication).not.toHaveProperty('publishers');
    expect(publication).not.toHaveProperty('outputs');
    expect(publication).toHaveProperty('rule_name', 'cloudtrail_root_account_usage');
  });

  it('remove_fields deletes matching keys at any depth, lists included', () => {
    const alert = rootAlert({ 'aws-s3:audit': ['remove_fields'] }, { context: { remove_fields: ['^sessionContext$', 'Token$'] } });
    const record = publicationFor(alert, 'aws-s3:audit').record as Record<string, any>;
    expect(record.userIdentity).toEqual({ type: 'Root', arn: 'arn:aws:iam::123456789012:root' });
    expect(record.resources).toEqual([{ ARN: 'arn:aws:iam::123456789012:root' }]);
    expect(alert.record.userIdentity).toHaveProperty('sessionContext');
  });

  it('remove_fields says when context.remove_fields is malformed', () => {
    const alert = rootAlert({ 'aws-s3:audit': ['remove_fields'] }, { context: { remove_fields: 'sessionContext' } });
    expect(() => publicationFor(alert, 'aws-s3:audit')).toThrow('context.remove_fields must be a list of strings');
  });

  it('enumerate_fields flattens to sorted dotted keys', () => {
    const publication = publicationFor(rootAlert({ 'pagerduty:oncall': ['enumerate_fields'] }), 'pagerduty:oncall');
    const keys = Object.keys(publication);
    expect(keys).toEqual([...keys].sort());
    expect(publication['record.userIdentity.sessionContext.attributes.mfaAuthenticated']).toBe('false');
    expect(publication['record.resources[0].ARN']).toBe('arn:aws:iam::123456789012:root');
    expect(publication['context']).toEqual({});
  });

  it('pagerduty_custom_details puts the document, less @ settings, in @pagerduty.custom_details', () => {
    const publication = publicationFor(rootAlert({ 'pagerduty:oncall': ['remove_internal_fields', 'slack_summary', 'pagerduty_custom_details'] }), 'pagerduty:oncall');
    const details = publication['@pagerduty.custom_details'] as Record<string, unknown>;
    expect(details.rule_name).toBe('cloudtrail_root_account_usage');
    expect(details.record).toMatchObject({ eventName: 'ConsoleLogin' });
    expect(Object.keys(details).some((key) => key.startsWith('@'))).toBe(false);
  });

  it('slack_summary lays out the rule, escaped description, chosen fields and alert id', () => {
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary'] }, { context: { summary_fields: ['eventName', 'userIdentity.arn', 'userIdentity', 'nope.missing'] } });
    const publication = publicationFor(alert, 'slack:sec-alerts');
    expect(publication['@slack.text']).toBe('Rule triggered: cloudtrail_root_account_usage');
    const blocks = publication['@slack.blocks'] as Array<Record<string, any>>;
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(blocks[1]!.text.text).toBe('The AWS root user signed in: &lt;investigate&gt; &amp; rotate');
    expect(blocks[2]!.fields.map((field: { text: string }) => field.text)).toEqual([
      '*eventName*\nConsoleLogin',
      '*userIdentity.arn*\narn:aws:iam::123456789012:root',
      '*userIdentity*\n{"type":"Root","arn":"arn:aws:iam::123456789012:root","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}}',
    ]);
    expect(blocks[3]!.elements[0].text).toContain(`Alert \`${alert.id}\``);
  });

  it('slack_summary shows top-level values by default and stays within Slack limits', () => {
    const record = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${i}`, 'v'.repeat(2500)]));
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary'] }, { ruleName: 'r'.repeat(200), ruleDescription: 'd'.repeat(5000), record });
    const blocks = publicationFor(alert, 'slack:sec-alerts')['@slack.blocks'] as Array<Record<string, any>>;
    expect(blocks[0]!.text.text.length).toBeLessThanOrEqual(150);
    expect(blocks[1]!.text.text.length).toBeLessThanOrEqual(3000);
    expect(blocks[2]!.fields).toHaveLength(10);
    for (const field of blocks[2]!.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    expect(blocks[2]!.fields[0].text.startsWith('*field_0*\nvvv')).toBe(true);
  });
});

describe('the Publish hook in delivery', () => {
  const context = testContext();
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  it('sends what the publishers produced: a Slack summary reaches the webhook as its blocks', async () => {
    const output = makeOutput(context, 'slack', { url: new Secret(`${slack.url}/services/T0/B0/X0`) }, 'sec-alerts');
    const alert = rootAlert({ 'slack:sec-alerts': ['slack_summary'] });
    const [report] = await deliver(alert, [output], publish);
    expect(report!.result.kind).toBe('delivered');
    const body = slack.requests.at(-1)!.json as { text: string; blocks: Array<{ type: string }> };
    expect(body.text).toBe('Rule triggered: cloudtrail_root_account_usage');
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
  });
});
