import type { Command } from 'commander';
import { toAlertDocument } from '../../alerts/alert.ts';
import { CliError, EXIT } from '../errors.ts';
import { attemptJson, deliveryJson, formatAttempt, formatDelivery } from '../format/deliveries.ts';
import { withAlertStore } from './alerts.ts';
import { describeMerge, mergeJson } from '../../merge/describe.ts';
import { describeSuppression, suppressionJson } from '../../noise/describe.ts';

export function registerAlertsShow(alerts: Command): void {
  alerts
    .command('show')
    .argument('<id>', "the alert's id (from 'streamalert alerts list')")
    .description('one alert: its record, rule and context, each delivery, and every attempt with its time and result')
    .option('--json', 'print JSON: the alert document with its deliveries and attempts')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts show 3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10\n  $ streamalert alerts show 3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10 --json | jq .record')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const now = Date.now();
      await withAlertStore(command, async (store) => {
        const detail = await store.get(id);
        if (!detail) throw new CliError(`no stored alert has the id ${id} (see 'streamalert alerts list')`, EXIT.failed);
        const { alert, deliveries, history } = detail;
        const membership = (await store.mergeMemberships([alert.id])).get(alert.id);
        const merge = describeMerge(alert, membership, now);
        if (options.json) {
          console.log(JSON.stringify({ ...toAlertDocument(alert), severity: alert.severity, deliveries: deliveries.map(deliveryJson), attempts: history.map(attemptJson), ...mergeJson(alert, membership), ...suppressionJson(alert) }, null, 2));
          return;
        }
        const source = [alert.sourceService, alert.sourceEntity, alert.cluster].filter(Boolean).join(' / ');
        console.log(
          [
            `Alert ${alert.id}`,
            `  rule        ${alert.ruleName} (${alert.severity})`,
            ...(alert.ruleDescription ? [`  description ${alert.ruleDescription}`] : []),
            `  created     ${alert.created.toISOString()}`,
            `  log         ${alert.logSource}${source ? ` from ${source}` : ''}`,
            ...(Object.keys(alert.context).length > 0 ? [`  context     ${JSON.stringify(alert.context)}`] : []),
            ...(merge ? [`  merge       ${merge}`] : []),
            ...(describeSuppression(alert) ? [`  noise       ${describeSuppression(alert)}`] : []),
            'Record:',
            indent(JSON.stringify(alert.record, null, 2)),
            'Deliveries:',
            ...deliveries.map((d) => `  ${formatDelivery(d, now)}`),
            'Attempts:',
            ...(history.length > 0 ? history.map((a) => `  ${formatAttempt(a)}`) : ['  (none yet)']),
          ].join('\n'),
        );
      });
    });
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
