import { Option, type Command } from 'commander';
import { toAlertDocument } from '../../alerts/alert.ts';
import { ALERT_STATUSES, type AlertStatus, type ListFilter } from '../../store/alert-store.ts';
import { describeSuppression, suppressionJson } from '../../noise/describe.ts';
import { CliError } from '../errors.ts';
import { deliveryJson, formatDelivery } from '../format/deliveries.ts';
import { parseSince } from '../format/time.ts';
import { withAlertStore } from './alerts.ts';
import { describeMerge, mergeJson } from '../../merge/describe.ts';

interface ListOptions {
  status?: AlertStatus;
  rule?: string;
  output?: string;
  since?: string;
  limit: string;
  json?: boolean;
}

export function registerAlertsList(alerts: Command): void {
  alerts
    .command('list')
    .description('list stored alerts, newest first, with each output: pending (and when it is tried next), delivered, failed or discarded')
    .addOption(new Option('--status <status>', 'only alerts with a delivery in this status, or stored without deliveries for this reason (suppressed: any; see docs/noise.md)').choices(ALERT_STATUSES))
    .option('--rule <name>', "only this rule's alerts")
    .option('--output <service:descriptor>', 'only alerts with a delivery to this output')
    .option('--since <when>', "only alerts created since: a span back from now (90s, 30m, 1h, 7d) or a date (2026-12-01)")
    .option('--limit <n>', 'at most this many alerts', '100')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts list --status failed\n  $ streamalert alerts list --status silenced\n  $ streamalert alerts list --rule duo_fraud --since 1h --output slack:sec-alerts --json')
    .action(async (options: ListOptions, command: Command) => {
      const now = Date.now();
      const filter = listFilter(options, now);
      await withAlertStore(command, async (store) => {
        const stored = await store.list(filter);
        const memberships = await store.mergeMemberships(stored.map(({ alert }) => alert.id));
        if (options.json) {
          const json = stored.map(({ alert, deliveries }) => {
            const { id, rule_name, created, log_source } = toAlertDocument(alert);
            return { id, rule_name, created, log_source, deliveries: deliveries.map(deliveryJson), ...mergeJson(alert, memberships.get(id)), ...suppressionJson(alert) };
          });
          console.log(JSON.stringify(json, null, 2));
          return;
        }
        if (stored.length === 0) console.log(filter.status || filter.rule || filter.output || filter.since ? 'No stored alerts match.' : 'No alerts stored yet.');
        for (const { alert, deliveries } of stored) {
          console.log(`${alert.id}  ${alert.created.toISOString()}  ${alert.ruleName}`);
          const merge = describeMerge(alert, memberships.get(alert.id), now);
          if (merge) console.log(`    ${merge}`);
          const suppression = describeSuppression(alert);
          if (suppression) console.log(`    ${suppression}`);
          for (const delivery of deliveries) console.log(`    ${formatDelivery(delivery, now)}`);
        }
      });
    });
}

function listFilter(options: ListOptions, now: number): ListFilter {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit takes a positive whole number (got '${options.limit}')`);
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  if (options.since !== undefined && since === undefined) throw new CliError(`--since takes a span such as 30m, 1h or 7d, or a date such as 2026-12-01 (got '${options.since}')`);
  return {
    limit,
    ...(options.status && { status: options.status }),
    ...(options.rule && { rule: options.rule }),
    ...(options.output && { output: options.output }),
    ...(since !== undefined && { since }),
  };
}
