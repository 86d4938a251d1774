import { Option, type Command } from 'commander';
import { Pipeline } from '../../pipeline/pipeline.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../store/alert-store.ts';
import { openAlertStore } from '../../store/open.ts';
import { openDeliverySession } from '../../delivery/session.ts';
import { CliError, EXIT, QuietExit } from '../errors.ts';
import { projectOf } from '../project.ts';
import { deliverySummary, formatDeliveries, isComplete } from '../run-summary.ts';

/** `streamalert alerts list|retry`: what the alert store holds, and delivering it again. */
export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('stored alerts and their deliveries');

  alerts
    .command('list')
    .description('list stored alerts, newest first, with each output: pending, delivered or failed')
    .addOption(new Option('--status <status>', 'only alerts with a delivery in this status').choices(DELIVERY_STATUSES))
    .option('--limit <n>', 'at most this many alerts', '100')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts list --status failed\n  $ streamalert alerts list --json --limit 10')
    .action(async (options: { status?: DeliveryStatus; limit: string; json?: boolean }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit takes a positive whole number (got '${options.limit}')`);
      const store = openAlertStore(projectOf(command));
      try {
        await store.verify();
        const stored = await store.list({ limit, ...(options.status ? { status: options.status } : {}) });
        if (options.json) {
          console.log(JSON.stringify(stored.map(({ alert, deliveries }) => ({ id: alert.id, rule_name: alert.ruleName, created: alert.created.toISOString(), deliveries })), null, 2));
          return;
        }
        if (stored.length === 0) console.log(options.status ? `No alerts with a ${options.status} delivery.` : 'No alerts stored yet.');
        for (const { alert, deliveries } of stored) {
          console.log(`${alert.id}  ${alert.created.toISOString()}  ${alert.ruleName}`);
          for (const d of deliveries) {
            console.log(`    ${d.output.padEnd(28)} ${d.status.padEnd(9)} attempts ${d.attempts}${d.lastResult ? `  ${d.lastResult}` : ''}`);
          }
        }
      } finally {
        store.close();
      }
    });

  alerts
    .command('retry')
    .argument('[id]', "one alert's undelivered outputs")
    .description('deliver what is not delivered yet, now: pending deliveries (e.g. after a crash), with --failed the dead-lettered ones too')
    .option('--failed', 'also retry every dead-lettered delivery')
    .option('--max-wait <seconds>', 'stop waiting for retries after this long; what is left stays stored', '300')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts retry --failed\n  $ streamalert alerts retry 3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10')
    .action(async (id: string | undefined, options: { failed?: boolean; maxWait: string }, command: Command) => {
      const started = Date.now();
      const project = projectOf(command);
      // Publishers are found by name: load the rules that register them.
      await Pipeline.load(project, { onEvent: () => {} });
      const session = await openDeliverySession(project);
      try {
        const queued = await session.store.requeue({ ...(id ? { alertId: id } : {}), ...(options.failed ? { failed: true } : {}) }, Date.now());
        if (id !== undefined && queued === 0) throw new CliError(`no undelivered output for alert ${id} (see 'streamalert alerts list')`);
        await session.engine.drain(started + Number(options.maxWait) * 1000);
        const deliveries = await deliverySummary(session);
        console.log([`Retried ${queued} deliver${queued === 1 ? 'y' : 'ies'}.`, ...formatDeliveries(deliveries)].join('\n'));
        if (!isComplete(deliveries)) throw new QuietExit(EXIT.failed);
      } finally {
        await session.close();
      }
    });
}
