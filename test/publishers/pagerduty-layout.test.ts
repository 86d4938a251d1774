import { describe, expect, it } from 'vitest';
import { attachImagePublisher } from '../../src/publishers/pagerduty-layout.ts';
import { publicationFor } from '../../src/publishers/publish.ts';
import { publicAclAlert, rootAlert } from './alerts.ts';

const PAGERDUTY = 'pagerduty:sample-integration';
const layout = (name: string) => `publishers.community.pagerduty.pagerduty_layout.${name}`;
const generic = (name: string) => `publishers.community.generic.${name}`;

function pagerdutyPublication(names: string[], context: Record<string, unknown> = {}) {
  return publicationFor(publicAclAlert({ [PAGERDUTY]: names }, context), PAGERDUTY) as Record<string, any>;
}

describe('StreamAlert’s PagerDuty layout publishers', () => {
  it('add_record, populate_fields, PrettyPrintArrays, ShortenTitle, as_custom_details: what StreamAlert’s own test event expects', () => {
    const names = [generic('add_record'), generic('populate_fields'), layout('PrettyPrintArrays'), layout('ShortenTitle'), layout('as_custom_details')];
    const publication = pagerdutyPublication(names, { populate_fields: ['userName', 'sourceIPAddress', 'eventTime', 'eventName', 'eventSource', 'bucketName', 'ARN'] });
    const details = {
      userName: 'dev_user',
      sourceIPAddress: '203.0.113.9',
      eventTime: '2024-03-01T11:59:58Z',
      eventName: 'PutObjectAcl',
      eventSource: 's3.amazonaws.com',
      bucketName: 'example-public-bucket',
      ARN: 'arn:aws:s3:::example-public-bucket/report.csv\n\n----------\n\narn:aws:s3:::example-public-bucket',
    };
    expect(publication).toEqual({
      ...details,
      '@pagerduty-v2.summary': 'cloudtrail_put_object_acl_public',
      '@pagerduty-incident.incident_title': 'cloudtrail_put_object_acl_public',
      '@pagerduty.description': 'cloudtrail_put_object_acl_public',
      '@pagerduty.details': details,
      '@pagerduty-v2.custom_details': details,
    });
  });

  it('as_custom_details keeps other outputs’ @ fields but not PagerDuty’s', () => {
    const publication = pagerdutyPublication(['pagerduty_v2_high_urgency', 'slack_attachment_summary', 'pagerduty_as_custom_details']);
    expect(Object.keys(publication['@pagerduty-v2.custom_details'])).toEqual(['@slack.text', '@slack.attachments', '@slack._previous_publication']);
  });

  it('v2_high_urgency and v2_low_urgency set severity and incident urgency', () => {
    expect(pagerdutyPublication(['pagerduty_v2_high_urgency'])).toEqual({ '@pagerduty-v2.severity': 'critical', '@pagerduty-incident.urgency': 'high' });
    expect(pagerdutyPublication(['pagerduty_v2_high_urgency', 'pagerduty_v2_low_urgency'])).toEqual({ '@pagerduty-v2.severity': 'warning', '@pagerduty-incident.urgency': 'low' });
  });

  it('AttachImage adds StreamAlert’s banner for Events API v2 and v1, after any images already there', () => {
    attachImagePublisher('test_runbook_image', { src: 'https://wiki.example.com/flow.png', href: 'https://wiki.example.com/runbook', alt: 'Runbook' });
    const publication = pagerdutyPublication(['test_runbook_image', layout('AttachImage')]);
    expect(publication['@pagerduty-v2.images']).toEqual([
      { src: 'https://wiki.example.com/flow.png', href: 'https://wiki.example.com/runbook', alt: 'Runbook' },
      { src: 'https://streamalert.io/en/stable/_images/sa-banner.png', href: 'https://streamalert.io/en/stable/', alt: 'StreamAlert Docs' },
    ]);
    expect(publication['@pagerduty.contexts']).toEqual([
      { type: 'image', src: 'https://wiki.example.com/flow.png' },
      { type: 'image', src: 'https://streamalert.io/en/stable/_images/sa-banner.png' },
    ]);
  });

  it('pagerduty_custom_details (ours) puts the publication so far, less @ fields, in @pagerduty.custom_details', () => {
    const alert = rootAlert({ 'pagerduty:oncall': ['default', 'remove_internal_fields', 'slack_summary', 'pagerduty_custom_details'] });
    const details = (publicationFor(alert, 'pagerduty:oncall') as Record<string, any>)['@pagerduty.custom_details'];
    expect(details.rule_name).toBe('cloudtrail_root_account_usage');
    expect(details.record).toMatchObject({ eventName: 'ConsoleLogin' });
    expect(details).not.toHaveProperty('outputs');
    expect(Object.keys(details).some((key) => key.startsWith('@'))).toBe(false);
  });
});
