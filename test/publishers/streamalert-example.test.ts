import { describe, expect, it } from 'vitest';
import { resolvePublishers, publishersFor } from '../../src/publishers/assign.ts';
import { publicationFor } from '../../src/publishers/publish.ts';
import { checkPublisherTest, parsePublisherTests } from '../../src/rules/test-events/publisher-tests.ts';
import { publicAclAlert } from './alerts.ts';

// StreamAlert's publisher example rule (rules/community/cloudwatch_events/
// cloudtrail_put_object_acl_public_publisher_example), its publishers named as a StreamAlert rule
// names them, and publisher_tests in its test event's form, checked as `rules test` checks them.

const PUBLISHERS = {
  slack: ['publishers.community.slack.slack_layout.Summary', 'publishers.community.slack.slack_layout.AttachRuleInfo', 'publishers.community.slack.slack_layout.AttachFullRecord'],
  pagerduty: [
    'publishers.community.generic.add_record',
    'publishers.community.generic.populate_fields',
    'publishers.community.pagerduty.pagerduty_layout.PrettyPrintArrays',
    'publishers.community.pagerduty.pagerduty_layout.ShortenTitle',
    'publishers.community.pagerduty.pagerduty_layout.as_custom_details',
  ],
};
const CONTEXT = { populate_fields: ['userName', 'sourceIPAddress', 'eventTime', 'eventName', 'eventSource', 'bucketName'] };

const PUBLISHER_TESTS = {
  'slack:sample-channel': [
    { jmespath_expression: 'keys(@)', condition: 'is', value: ['@slack.text', '@slack.attachments', '@slack._previous_publication'] },
    ['"@slack.text"', 'is', 'Rule triggered'],
    ['"@slack.attachments"[0].title', 'is', 'cloudtrail_put_object_acl_public'],
    ['"@slack.attachments"[0].title_link', 'is', 'https://github.com/airbnb/streamalert/search?q=cloudtrail_put_object_acl_public+path%3A%2Frules'],
    ['"@slack.attachments"[1].fields[1].title', 'is', 'Note'],
    ['"@slack.attachments"[1].fields[1].value', 'is', 'for the example only'],
    ['"@slack.attachments"[2].title', 'is', 'Record'],
    ['"@slack.attachments"[2].text', 'contains', '"requestID": "5f0c1d2e-0000-4000-8000-00000000abcd"'],
    ['"@slack.attachments"[2].author', 'is', 'prefix_cluster1_streamalert'],
    ['"@slack.attachments"[2].fields[0].title', 'is', 'Alert Id'],
  ],
  'pagerduty:sample-integration': [
    ['"@pagerduty.description"', 'is', 'cloudtrail_put_object_acl_public'],
    ['"@pagerduty.details".eventName', 'contains', 'PutObjectAcl'],
    ['"@pagerduty.details".eventSource', 'contains', 's3.amazonaws.com'],
    ['"@pagerduty.details".userName', 'is', 'dev_user'],
    ['"@pagerduty.details".sourceIPAddress', 'is', '203.0.113.9'],
    ['"@pagerduty.details".bucketName', 'is', 'example-public-bucket'],
    ['"@pagerduty.details".eventTime', 'is', '2024-03-01T11:59:58Z'],
  ],
};

describe("StreamAlert's publisher example, unchanged", () => {
  const assignment = resolvePublishers(PUBLISHERS, 'rule cloudtrail_put_object_acl_public');
  const outputs = Object.keys(PUBLISHER_TESTS);
  const alert = publicAclAlert(Object.fromEntries(outputs.map((output) => [output, publishersFor(assignment, output)])), CONTEXT);

  it('passes every publisher test of its test event', () => {
    const tests = parsePublisherTests(PUBLISHER_TESTS);
    if (typeof tests === 'string') throw new Error(tests);
    expect(tests).toHaveLength(17);
    const failures = tests.flatMap((test) => checkPublisherTest(test, publicationFor(alert, test.output) as Record<string, unknown>) ?? []);
    expect(failures).toEqual([]);
  });

  it('fails one that does not hold, so the passes above are real', () => {
    const tests = parsePublisherTests({ 'pagerduty:sample-integration': [['"@pagerduty.details".userName', 'is', 'someone_else']] });
    if (typeof tests === 'string') throw new Error(tests);
    expect(checkPublisherTest(tests[0]!, publicationFor(alert, 'pagerduty:sample-integration') as Record<string, unknown>)).toContain('actual value: "dev_user"');
  });
});
