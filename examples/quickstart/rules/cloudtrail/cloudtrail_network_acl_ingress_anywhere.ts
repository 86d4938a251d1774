import { rule } from 'streamalert';

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/**
 * A network ACL entry that allows inbound traffic from the whole internet.
 * A beta rule: in production Slack only, with a short summary, until its false positives are known.
 */
export const cloudtrail_network_acl_ingress_anywhere = rule(
  {
    logs: ['cloudtrail:events'],
    // Local audit trail for the quickstart. In production: ['slack:sec-alerts'] (docs/outputs/README.md, Strategy).
    outputs: ['file:alerts'],
    publishers: { slack: 'slack_summary' },
    context: { summary_fields: ['eventName', 'requestParameters.networkAclId', 'requestParameters.cidrBlock', 'userIdentity.arn', 'sourceIPAddress'] },
    severity: 'warning',
    description: 'A network ACL now allows ingress from anywhere (0.0.0.0/0 or ::/0)',
  },
  (rec) => {
    if (rec.eventName !== 'CreateNetworkAclEntry' && rec.eventName !== 'ReplaceNetworkAclEntry') return false;
    const params = rec.requestParameters ?? {};
    const cidr = params.cidrBlock ?? params.ipv6CidrBlock;
    return ANYWHERE.has(cidr) && params.ruleAction === 'allow' && params.egress === false;
  },
);
