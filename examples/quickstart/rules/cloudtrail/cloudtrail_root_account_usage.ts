import { rule } from 'streamalert';

/**
 * The AWS root user should not be used day to day: any API call or console sign-in it makes
 * is worth a page. Calls AWS services make on the root's behalf (invokedBy) are not.
 * Promoted to production: pages on-call and keeps an audit copy in S3.
 */
export const cloudtrail_root_account_usage = rule(
  {
    logs: ['cloudtrail:events'],
    // Local audit trail for the quickstart. In production: ['pagerduty:oncall', 'aws-s3:audit'] (docs/outputs/README.md, Strategy).
    outputs: ['file:alerts'],
    publishers: { pagerduty: ['default', 'remove_internal_fields', 'pagerduty_custom_details'] },
    reqSubkeys: { userIdentity: ['type'] },
    severity: 'critical',
    description: 'The AWS root user made an API call or signed in to the console',
  },
  (rec) => rec.userIdentity.type === 'Root' && rec.userIdentity.invokedBy === undefined && rec.eventType !== 'AwsServiceEvent',
);
