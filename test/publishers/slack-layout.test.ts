import { describe, expect, it } from 'vitest';
import { publicationFor } from '../../src/publishers/publish.ts';
import { slackSummaryPublisher } from '../../src/publishers/slack-layout.ts';
import { publicAclAlert, rootAlert } from './alerts.ts';

const SLACK = 'slack:sample-channel';
const layout = (name: string) => `publishers.community.slack.slack_layout.${name}`;

/** The Slack publication for a rule naming StreamAlert's publishers by module path. */
function slackPublication(names: string[], context: Record<string, unknown> = {}) {
  const alert = publicAclAlert({ [SLACK]: names.map(layout) }, context);
  return { alert, publication: publicationFor(alert, SLACK) as Record<string, any> };
}

describe('StreamAlert’s Slack layout publishers', () => {
  it('Summary, AttachRuleInfo, AttachFullRecord: the message StreamAlert’s own test event expects', () => {
    const { alert, publication } = slackPublication(['Summary', 'AttachRuleInfo', 'AttachFullRecord']);
    expect(Object.keys(publication)).toEqual(['@slack.text', '@slack.attachments', '@slack._previous_publication']);
    expect(publication['@slack.text']).toBe('Rule triggered');
    expect(publication['@slack._previous_publication']).toEqual({});
    const [summary, ruleInfo, record, ...more] = publication['@slack.attachments'];
    expect(more).toEqual([]);
    expect(summary).toEqual({
      fallback: 'Rule triggered: cloudtrail_put_object_acl_public',
      color: '#ff5a5f',
      author_name: 'secops',
      author_link: '',
      author_icon: '',
      title: 'cloudtrail_put_object_acl_public',
      title_link: 'https://github.com/airbnb/streamalert/search?q=cloudtrail_put_object_acl_public+path%3A%2Frules',
      text: 'An S3 object ACL now grants access to AllUsers or AuthenticatedUsers.',
      image_url: '',
      thumb_url: '',
      footer: '',
      footer_icon: '',
      ts: 1709294400,
      mrkdwn_in: [],
    });
    // The reference URL, split over two lines, is put back together; fields keep their order.
    expect(ruleInfo).toEqual({
      color: '#8ce071',
      fields: [
        { title: 'Reference', value: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html' },
        { title: 'Note', value: 'for the example only' },
      ],
    });
    expect(record.title).toBe('Record');
    expect(record.author).toBe('prefix_cluster1_streamalert');
    expect(record.text).toContain('"requestID": "5f0c1d2e-0000-4000-8000-00000000abcd"');
    expect(record.text.startsWith('```\n\n{\n  "account": "123456789012",\n  "detail": {\n')).toBe(true);
    expect(record.fields).toEqual([{ title: 'Alert Id', value: alert.id }]);
    expect(record.footer).toBe('via <https://console.aws.amazon.com/kinesis/home|kinesis>');
    expect(record.mrkdwn_in).toEqual(['text']);
  });

  it('AttachFullRecord cuts a large record between lines into attachments of at most 4,000 characters', () => {
    const record = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field_${String(i).padStart(3, '0')}`, `<${'v'.repeat(40)}>`]));
    const alert = rootAlert({ 'slack:x': ['slack_attach_full_record'] }, { record });
    const attachments = (publicationFor(alert, 'slack:x') as Record<string, any>)['@slack.attachments'] as Array<Record<string, any>>;
    expect(attachments.length).toBeGreaterThan(2);
    for (const attachment of attachments) expect(attachment.text.length).toBeLessThanOrEqual(4000);
    expect(attachments.map((a) => a.title)).toEqual(['Record', ...Array(attachments.length - 1).fill('')]);
    expect(attachments.map((a) => a.fields.length)).toEqual([...Array(attachments.length - 1).fill(0), 1]);
    const joined = attachments.map((a) => a.text.slice('```\n\n'.length, -'\n```'.length)).join('\n');
    expect(joined).toBe(JSON.stringify(record, null, 2).replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('AttachPublication attaches what the Summary received, as sorted, escaped JSON; alone it does nothing', () => {
    const { publication } = slackPublication(['AttachPublication']);
    expect(publication).toEqual({});
    const alert = rootAlert({ 'slack:x': ['add_record', 'slack_attachment_summary', 'slack_attach_publication'] }, { record: { z: 'é <b>', a: [1, {}] } });
    const attachments = (publicationFor(alert, 'slack:x') as Record<string, any>)['@slack.attachments'];
    expect(attachments[1]).toEqual({
      color: '#00d1c1',
      title: 'Alert Data:',
      text: '```\n{\n  "record": {\n    "a": [\n      1,\n      {}\n    ],\n    "z": "\\u00e9 &lt;b&gt;"\n  }\n}\n```',
      mrkdwn_in: ['text'],
    });
  });

  it('AttachStringTemplate fills context.slack_message_template from the Summary’s input, or the publication', () => {
    const template = '{rule_name} in {record[detail][eventSource]}: {{braces}} {record[detail][resources][1][ARN]}';
    // Alone and first, it has only {} to fill the template from, as in StreamAlert.
    expect(() => slackPublication(['AttachStringTemplate'], { slack_message_template: template })).toThrow("template: no field 'rule_name' in the publication (fields: none)");
    const alert = publicAclAlert({ [SLACK]: ['default', 'slack_attachment_summary', 'slack_attach_string_template'] }, { slack_message_template: template });
    const attachments = (publicationFor(alert, SLACK) as Record<string, any>)['@slack.attachments'];
    expect(attachments[1]).toEqual({ color: '#ffb400', text: 'cloudtrail_put_object_acl_public in s3.amazonaws.com: {braces} arn:aws:s3:::example-public-bucket' });
  });

  it('AttachStringTemplate writes values as Python does, shows a missing template, and names a missing field', () => {
    const withRecord = (context: Record<string, unknown>) => publicationFor(publicAclAlert({ [SLACK]: ['add_record', 'slack_attach_string_template'] }, context), SLACK) as Record<string, any>;
    expect(withRecord({ slack_message_template: '{record[detail][userIdentity]}' })['@slack.attachments'][0].text).toBe("{'type': 'IAMUser', 'userName': 'dev_user'}");
    expect(withRecord({})['@slack.attachments'][0].text).toBe('[MISSING TEMPLATE]');
    expect(() => withRecord({ slack_message_template: '{nope}' })).toThrow("template: no field 'nope' in the publication (fields: record)");
    expect(() => withRecord({ slack_message_template: '{record!r}' })).toThrow("template: field '{record!r}' is not supported");
    expect(() => withRecord({ slack_message_template: 'a } b' })).toThrow("template: a single '}' must be doubled");
  });

  it('Summary takes links of your own', () => {
    slackSummaryPublisher('test_our_summary', { titleLink: (rule) => `https://git.example.com/rules/${rule}.ts`, authorLink: (author) => `https://people.example.com/${author}` });
    const alert = publicAclAlert({ [SLACK]: ['test_our_summary'] });
    const [summary] = (publicationFor(alert, SLACK) as Record<string, any>)['@slack.attachments'];
    expect(summary.title_link).toBe('https://git.example.com/rules/cloudtrail_put_object_acl_public.ts');
    expect(summary.author_link).toBe('https://people.example.com/secops');
  });
});
