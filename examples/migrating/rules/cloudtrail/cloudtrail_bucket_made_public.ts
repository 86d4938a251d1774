import { rule } from 'streamalert';

export const cloudtrail_bucket_made_public = rule(
  {
    logs: ['cloudtrail:events'],
    outputs: ['slack:sec-alerts', 'pagerduty:oncall'],
    publishers: {
      slack: ['publishers.community.slack.slack_layout.Summary', 'publishers.community.slack.slack_layout.AttachRuleInfo'],
      pagerduty: ['publishers.community.generic.add_record', 'publishers.community.pagerduty.pagerduty_layout.ShortenTitle'],
    },
    description: 'An S3 bucket policy now lets anyone read the bucket',
  },
  (rec) => rec.eventName === 'PutBucketPolicy' && JSON.stringify(rec.requestParameters?.bucketPolicy ?? {}).includes('"Principal":"*"'),
);
