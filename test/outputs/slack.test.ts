import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildSlackMessages as buildBodies, SLACK_LIMITS, type SlackAlertView, type SlackMessage } from '../../src/outputs/slack/message.ts';
import { renderRecord, splitText } from '../../src/outputs/slack/render.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { ATTACHMENT_LIMITS } from '../../src/outputs/slack/published.ts';
import { deliver } from '../../src/delivery/deliver.ts';
import { publish } from '../../src/publishers/publish.ts';
import { publicAclAlert } from '../publishers/alerts.ts';

const context = testContext();

/** The messages as Slack will read them: every body must be valid JSON. */
const buildSlackMessages = (view: SlackAlertView): SlackMessage[] => buildBodies(view).map((body) => JSON.parse(body) as SlackMessage);
const SECRET_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('Slack rendering', () => {
  it('renders nested objects indented and array items numbered', () => {
    expect(renderRecord({ user: { name: 'root', mfa: false }, ips: ['1.2.3.4', { v6: '::1' }], empty: {}, none: null })).toBe(
      ['user:', '    name: root', '    mfa: false', 'ips:', '    [1] 1.2.3.4', '    [2]', '        v6: ::1', 'empty: {}', 'none: null'].join('\n'),
    );
  });

  it('splits between lines, and inside a line only when it alone is too long', () => {
    expect(splitText('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('escapes only &, < and > as Slack asks', () => {
    const [message] = buildSlackMessages({ ruleName: 'r', ruleDescription: 'a <b> & "c"', record: { q: "x<y & 'z'" }, alertId: 'id', created: 'now' });
    const text = JSON.stringify(message);
    expect(text).toContain('a &lt;b&gt; &amp; \\"c\\"');
    expect(text).toContain("q: x&lt;y &amp; 'z'");
  });

  it('keeps every block within Slack limits and splits a large record into parts', () => {
    const record = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`field_${i}`, 'v'.repeat(60)]));
    const messages = buildSlackMessages({ ruleName: 'big_rule', ruleDescription: 'd', record, alertId: 'id', created: 'now' });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(SLACK_LIMITS.maxMessages);
    expectWithinLimits(messages);
    expect(messages[1]!.text).toContain('(part 2 of');
    const shown = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'section').map((b) => b.text.text).join('\n');
    expect(shown).toContain('field_0:');
    expect(shown).toContain('field_599:');
    expect(JSON.stringify(messages)).not.toContain('truncated');
  });

  it('writes valid JSON whatever the record holds: quotes, backslashes, control and unicode characters', () => {
    const record = { quote: 'say "hi"\n\ttab \\ back', unicode: 'é ✓ \u2028', n: 1, nested: { list: [1, { deep: null }] } };
    const [message] = buildSlackMessages({ ruleName: 'r "q"', ruleDescription: 'd <x>', record, alertId: 'id', created: 'now' });
    expect(message!.text).toBe('Rule triggered: r "q"');
    expect(message!.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const recordText = (message!.blocks[2] as { text: { text: string } }).text.text;
    expect(recordText).toBe('```\nquote: say "hi"\n\ttab \\ back\nunicode: é ✓ \u2028\nn: 1\nnested:\n    list:\n        [1] 1\n        [2]\n            deep: null\n```');
  });

  it('truncates past the maximum and says so', () => {
    const record = { blob: 'x'.repeat(SLACK_LIMITS.sectionChars * SLACK_LIMITS.recordSectionsPerMessage * SLACK_LIMITS.maxMessages * 2) };
    const messages = buildSlackMessages({ ruleName: 'huge', ruleDescription: '', record, alertId: 'id', created: 'now' });
    expect(messages).toHaveLength(SLACK_LIMITS.maxMessages);
    expectWithinLimits(messages);
    expect(JSON.stringify(messages.at(-1))).toMatch(/Record truncated: \d+ more characters not shown/);
  });
});

describe('Slack output against a loopback webhook', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.requests.length = 0;
  });

  const output = (outputContext = context) => makeOutput(outputContext, 'slack', { url: new Secret(slack.url + SECRET_PATH) }, 'sec-alerts');

  it('posts a header naming the rule, the description and the record to the webhook path', async () => {
    slack.script({ status: 200, body: 'ok' });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered' });
    const [request] = slack.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(SECRET_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as SlackMessage;
    expect(message.text).toBe('Rule triggered: cloudtrail_root_account_usage');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Rule triggered: cloudtrail_root_account_usage' } });
    expect(JSON.stringify(message.blocks[1])).toContain('The root account was used: &lt;investigate&gt; &amp; rotate');
    expect(JSON.stringify(message.blocks[2])).toContain('userIdentity:\\n    type: Root');
  });

  it('sends publisher-supplied @slack.text and @slack.blocks as they are', async () => {
    const alert = sampleAlert();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'custom' } }];
    await output().dispatch(alert, { '@slack.text': 'summary', '@slack.blocks': blocks });
    expect(slack.requests[0]!.json).toEqual({ text: 'summary', blocks });
  });

  it("sends StreamAlert's attachment layout as one message: its text, the attachments made fit, nothing else", async () => {
    const layout = (name: string) => `publishers.community.slack.slack_layout.${name}`;
    const alert = publicAclAlert({ 'slack:sec-alerts': [layout('Summary'), layout('AttachRuleInfo'), layout('AttachFullRecord')] });
    const [report] = await deliver(alert, [output()], publish);
    expect(report!.result.kind).toBe('delivered');
    expect(slack.requests).toHaveLength(1);
    const message = slack.requests[0]!.json as { text: string; attachments: Array<Record<string, unknown>> };
    expect(Object.keys(message)).toEqual(['text', 'attachments']);
    expect(message.text).toBe('Rule triggered');
    const [summary, ruleInfo, record] = message.attachments;
    // Empty-string fields (image_url: '', footer: '') are left out; ts and the empty mrkdwn_in stay.
    expect(summary).toEqual({
      color: '#ff5a5f',
      mrkdwn_in: [],
      fallback: 'Rule triggered: cloudtrail_put_object_acl_public',
      author_name: 'secops',
      title: 'cloudtrail_put_object_acl_public',
      title_link: 'https://github.com/airbnb/streamalert/search?q=cloudtrail_put_object_acl_public+path%3A%2Frules',
      text: 'An S3 object ACL now grants access to AllUsers or AuthenticatedUsers.',
      ts: 1709294400,
    });
    expect(ruleInfo).toMatchObject({ color: '#8ce071', mrkdwn_in: ['text', 'pretext'], fields: [{ title: 'Reference' }, { title: 'Note', value: 'for the example only' }] });
    expect(record).toMatchObject({ author_name: 'prefix_cluster1_streamalert', title: 'Record', fields: [{ title: 'Alert Id', value: alert.id }] });
    expect(record).not.toHaveProperty('author');
    expect(record!.text).toContain('"eventName": "PutObjectAcl"');
  });

  it('keeps at most 20 attachments, elides a text over 4,000 characters in the middle, and drops what is not an attachment', async () => {
    const attachments = ['junk', [1], { text: `${'a'.repeat(3000)}${'b'.repeat(3000)}` }, ...Array.from({ length: 30 }, (_, i) => ({ title: `t${i}` }))];
    await output().dispatch(sampleAlert(), { '@slack.attachments': attachments, '@slack._previous_publication': { secret: 'x' } });
    const message = slack.requests[0]!.json as { text: string; attachments: Array<{ text?: string; title?: string }> };
    expect(message.text).toBe('Rule triggered: cloudtrail_root_account_usage');
    expect(message.attachments).toHaveLength(ATTACHMENT_LIMITS.attachments);
    const elided = message.attachments[0]!.text!;
    expect(elided).toHaveLength(3999); // StreamAlert's elision: 1,997 characters either side of ' ... '
    expect(elided).toMatch(/^a+ \.\.\. b+$/);
    expect(message.attachments.at(-1)!.title).toBe('t18');
    expect(JSON.stringify(message)).not.toContain('secret');
  });

  it('puts @slack.text alone in place of our header, and still shows the record', async () => {
    const alert = sampleAlert();
    await output().dispatch(alert, { ...toAlertDocument(alert), '@slack.text': '*Root login* from <https://example.com|console>' });
    const message = slack.requests[0]!.json as SlackMessage;
    expect(message.text).toBe('*Root login* from <https://example.com|console>');
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Root login* from <https://example.com|console>' } });
    expect(JSON.stringify(message.blocks)).toContain('userIdentity:\\n    type: Root');
  });

  it.each([
    [400, 'invalid_payload', 'failed', 'client_error'],
    [403, 'action_prohibited', 'failed', 'auth'],
    [404, 'channel_not_found', 'failed', 'not_found'],
    [410, 'channel_is_archived', 'failed', 'not_found'],
    [500, 'rollup_error', 'retry', 'server_error'],
    [503, 'unavailable', 'retry', 'server_error'],
  ])('classifies HTTP %i %s as %s (%s) and names the error', async (status, body, kind, reason) => {
    slack.script({ status, body });
    const alert = sampleAlert();
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(body);
    expectNoSecrets([SECRET_PATH, 'XXXXXXXXXXXXXXXXXXXXXXXX'], result);
  });

  it('stops at the first failed part of a split record', async () => {
    const record = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`field_${i}`, 'v'.repeat(60)]));
    const alert = sampleAlert({ record });
    slack.script({ status: 200, body: 'ok' }, { status: 500, body: 'rollup_error' });
    const result = await output().dispatch(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'retry', reason: 'server_error' });
    expect(slack.requests).toHaveLength(2);
  });
});

function expectWithinLimits(messages: SlackMessage[]): void {
  for (const message of messages) {
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerChars);
    }
  }
}
