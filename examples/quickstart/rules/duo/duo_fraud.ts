import { rule, type LogRecord } from 'streamalert';

/** Accounts whose compromise is worth waking someone up for. */
const ADMINS = new Set(['alice@example.com', 'root-breakglass@example.com']);

/** A dynamic output: fraud against an administrator also pages on-call. */
function pageOnCallForAdmins(rec: LogRecord): string | undefined {
  // In production: 'pagerduty:oncall'. The quickstart pages into a local file instead.
  return ADMINS.has(rec.user?.name) ? 'file:pages' : undefined;
}

/** A user told Duo that a push they did not start was fraudulent: someone else has their password. */
export const duo_fraud = rule(
  {
    logs: ['duo:authentication'],
    // Local audit trail for the quickstart. In production: ['slack:sec-alerts'] (docs/outputs/README.md, Strategy).
    outputs: ['file:alerts'],
    dynamicOutputs: [pageOnCallForAdmins],
    publishers: { slack: 'slack_summary', pagerduty: ['default', 'pagerduty_custom_details'] },
    context: { summary_fields: ['user.name', 'factor', 'reason', 'access_device.ip', 'application.name'] },
    description: 'A Duo authentication was marked as fraud by the user',
  },
  (rec) => String(rec.result).toLowerCase() === 'fraud',
);
