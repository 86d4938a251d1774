import { rule } from 'streamalert';

/** Which team owns each AWS account: their channel hears about root use there too. */
const ACCOUNT_OWNERS: Record<string, string> = { '123456789012': 'slack:team-payments' };

export const cloudtrail_root_account_usage = rule(
  {
    logs: ['cloudtrail:events'],
    outputs: ['pagerduty:oncall', 'file:alerts'],
    dynamicOutputs: [(rec) => ACCOUNT_OWNERS[rec.recipientAccountId]],
    description: 'The AWS root user made an API call',
  },
  (rec) => rec.userIdentity.type === 'Root',
);
