import { rule } from 'streamalert';

export const cloudtrail_security_group_ingress_anywhere = rule(
  {
    logs: ['cloudtrail:events'],
    outputs: ['slack:sec-alerts'],
    reqSubkeys: { requestParameters: ['ipPermissions'] },
    context: { open_ranges: ['0.0.0.0/0', '::/0'], found: '' },
  },
  (rec, context) => {
    if (rec.eventName !== 'AuthorizeSecurityGroupIngress') return false;
    const ranges: string[] = (rec.requestParameters.ipPermissions.items ?? []).flatMap((permission: any) =>
      (permission.ipRanges?.items ?? []).map((range: any) => range.cidrIp),
    );
    const open = ranges.find((range) => (context.open_ranges as string[]).includes(range));
    context.found = open ?? '';
    return open !== undefined;
  },
);
