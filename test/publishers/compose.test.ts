import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument, type Alert } from '../../src/alerts/alert.ts';
import { deliver } from '../../src/delivery/deliver.ts';
import { resolvePublishers, publishersFor } from '../../src/publishers/assign.ts';
import { PublisherError } from '../../src/publishers/errors.ts';
import { publicationFor, publish } from '../../src/publishers/publish.ts';
import { findPublisher, publisher, publisherAliases, publisherNames } from '../../src/publishers/publisher.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, testContext } from '../support/outputs.ts';
import { rootAlert } from './alerts.ts';

describe('composing an output’s publication (StreamAlert’s CompositePublisher)', () => {
  it('is the alert document when the rule names no publishers for the output', () => {
    const alert = rootAlert({ 'slack:other': [] });
    expect(publicationFor(alert, 'aws-s3:audit')).toEqual(toAlertDocument(alert));
    expect(publicationFor(alert, 'slack:other')).toEqual(toAlertDocument(alert));
  });

  it('gives the first publisher {} and each next one the previous result, in order, each on its own copy', () => {
    const seen: unknown[] = [];
    publisher('test_first', (_alert, publication) => {
      seen.push({ ...publication });
      return { step: ['first'], nested: { value: 1 } };
    });
    publisher('test_second', (_alert, publication) => {
      seen.push(structuredClone(publication));
      (publication.nested as Record<string, unknown>).value = 2;
      return { ...publication, step: [...(publication.step as string[]), 'second'] };
    });
    const alert = rootAlert({ 'slack:sec-alerts': ['test_first', 'test_second'] });
    expect(publicationFor(alert, 'slack:sec-alerts')).toEqual({ step: ['first', 'second'], nested: { value: 2 } });
    expect(seen).toEqual([{}, { step: ['first'], nested: { value: 1 } }]);
  });

  it('never lets a publisher change the alert, even through a field it copied from it', () => {
    publisher('test_mutates_record', (_alert, publication) => {
      (publication.record as Record<string, unknown>).eventName = 'changed';
      return publication;
    });
    const alert = rootAlert({ 'slack:x': ['add_record', 'test_mutates_record'] });
    expect((publicationFor(alert, 'slack:x').record as Record<string, unknown>).eventName).toBe('changed');
    expect(alert.record.eventName).toBe('ConsoleLogin');
  });

  it('starts from the alert document after default, and from nothing again after blank', () => {
    publisher('test_mark', (_alert, publication) => ({ ...publication, marked: true }));
    const alert = rootAlert({ 'pagerduty:oncall': ['default', 'remove_internal_fields'], 'slack:x': ['test_mark', 'blank', 'test_mark'] });
    const internal = ['staged', 'publishers', 'outputs'];
    const expected = Object.fromEntries(Object.entries(toAlertDocument(alert)).filter(([key]) => !internal.includes(key)));
    expect(publicationFor(alert, 'pagerduty:oncall')).toEqual(expected);
    expect(Object.keys(expected)).toContain('rule_name');
    expect(publicationFor(alert, 'slack:x')).toEqual({ marked: true });
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

  it('finds a publisher by an alias, and refuses an alias another publisher holds', () => {
    const aliased = publisher('test_aliased', (_alert, publication) => publication, { aliases: ['team.publishers.tidy'] });
    expect(findPublisher('team.publishers.tidy')).toBe(aliased);
    expect(publisherAliases('test_aliased')).toEqual(['team.publishers.tidy']);
    expect(publisherNames()).not.toContain('team.publishers.tidy');
    expect(() => publisher('test_other', (_alert, publication) => publication, { aliases: ['publishers.community.generic.blank'] })).toThrow(
      "publisher 'test_other': the name 'publishers.community.generic.blank' is already taken by publisher 'blank'",
    );
    expect(() => publisher('publishers.community.generic.blank', (_alert, publication) => publication)).toThrow("a publisher named 'publishers.community.generic.blank' is already registered");
    expect(() => publisher('test_bad_alias', (_alert, publication) => publication, { aliases: ['bad alias'] })).toThrow("publisher name 'bad alias' must be");
  });

  // StreamAlert names a publisher by its module path; every one of its community publishers is here.
  it.each([
    ['streamalert.shared.publisher.DefaultPublisher', 'default'],
    ['publishers.community.generic.add_record', 'add_record'],
    ['publishers.community.generic.blank', 'blank'],
    ['publishers.community.generic.populate_fields', 'populate_fields'],
    ['publishers.community.generic.remove_fields', 'remove_fields'],
    ['publishers.community.generic.remove_internal_fields', 'remove_internal_fields'],
    ['publishers.community.generic.remove_streamalert_normalization', 'remove_streamalert_normalization'],
    ['publishers.community.generic.enumerate_fields', 'enumerate_fields'],
    ['publishers.community.generic.StringifyArrays', 'stringify_arrays'],
    ['publishers.community.slack.slack_layout.Summary', 'slack_attachment_summary'],
    ['publishers.community.slack.slack_layout.AttachRuleInfo', 'slack_attach_rule_info'],
    ['publishers.community.slack.slack_layout.AttachPublication', 'slack_attach_publication'],
    ['publishers.community.slack.slack_layout.AttachStringTemplate', 'slack_attach_string_template'],
    ['publishers.community.slack.slack_layout.AttachFullRecord', 'slack_attach_full_record'],
    ['publishers.community.pagerduty.pagerduty_layout.ShortenTitle', 'pagerduty_shorten_title'],
    ['publishers.community.pagerduty.pagerduty_layout.as_custom_details', 'pagerduty_as_custom_details'],
    ['publishers.community.pagerduty.pagerduty_layout.v2_high_urgency', 'pagerduty_v2_high_urgency'],
    ['publishers.community.pagerduty.pagerduty_layout.v2_low_urgency', 'pagerduty_v2_low_urgency'],
    ['publishers.community.pagerduty.pagerduty_layout.PrettyPrintArrays', 'pagerduty_pretty_print_arrays'],
    ['publishers.community.pagerduty.pagerduty_layout.AttachImage', 'pagerduty_attach_image'],
  ])('knows %s as %s', (alias, name) => {
    expect(publisherNames()).toContain(name);
    expect(findPublisher(alias)).toBe(findPublisher(name));
    expect(publisherAliases(name)).toEqual([alias]);
  });

  it('ships our own built-ins too', () => {
    expect(publisherNames()).toEqual(expect.arrayContaining(['slack_summary', 'pagerduty_custom_details']));
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

  it('resolves StreamAlert’s module paths to our names, so stored alerts name what runs', () => {
    const spec = { slack: ['publishers.community.slack.slack_layout.Summary', 'publishers.community.slack.slack_layout.AttachFullRecord'], pagerduty: 'publishers.community.pagerduty.pagerduty_layout.ShortenTitle' };
    const assignment = resolvePublishers(spec, 'rule r');
    expect(publishersFor(assignment, 'slack:sample-channel')).toEqual(['slack_attachment_summary', 'slack_attach_full_record']);
    expect(publishersFor(assignment, 'pagerduty:sample-integration')).toEqual(['pagerduty_shorten_title']);
  });

  it('names the bad entry of a publishers option', () => {
    expect(() => resolvePublishers({ pagerduty: ['remove_internal_fields', 'pd_layout'] }, 'rules/x.ts: rule x')).toThrow(/^rules\/x\.ts: rule x: publishers\.pagerduty\[1\]: no publisher named 'pd_layout' \(registered: .*slack_summary/);
    expect(() => resolvePublishers(5, 'rule x')).toThrow('rule x: publishers must be a publisher, a list, or an object keyed by service or service:descriptor');
    expect(() => resolvePublishers({ slack: [5] }, 'rule x')).toThrow('rule x: publishers.slack[0]: expected a publisher or a publisher name, got 5');
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
