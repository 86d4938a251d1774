import type { Command } from 'commander';
import { detectionFor } from '../detection.ts';
import { CliError, EXIT, QuietExit } from '../errors.ts';
import { projectOf } from '../project.ts';
import { deliverySummary, formatDeliveries, isComplete } from '../run-summary.ts';

export function registerAlertsRetry(alerts: Command): void {
  alerts
    .command('retry')
    .argument('[id]', "one alert's undelivered outputs, dead letters included")
    .description('deliver what is not delivered yet, now: pending deliveries (e.g. after a crash), with --failed the dead-lettered ones too')
    .option('--failed', 'also retry every dead-lettered delivery, each with a fresh retry budget')
    .option('--max-wait <seconds>', 'stop waiting for retries after this long; what is left stays stored', '300')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts retry --failed\n  $ streamalert alerts retry 3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10')
    .action(async (id: string | undefined, options: { failed?: boolean; maxWait: string }, command: Command) => {
      const started = Date.now();
      const maxWaitMs = Number(options.maxWait) * 1000;
      if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new CliError(`--max-wait takes a number of seconds (got '${options.maxWait}')`);
      const project = projectOf(command);
      const { openDeliverySession } = await import('../../delivery/session.ts');
      // Publishers are found by name: load the rules that register them (saying what did not load).
      await detectionFor(project, {});
      const session = await openDeliverySession(project);
      try {
        const queued = await session.store.requeue({ ...(id ? { alertId: id } : {}), ...(options.failed ? { failed: true } : {}) }, Date.now());
        if (id !== undefined && queued === 0) throw new CliError(`no undelivered output for alert ${id} (see 'streamalert alerts show ${id}')`, EXIT.failed);
        await session.engine.drain(started + maxWaitMs);
        const deliveries = await deliverySummary(session);
        const deadLetters = Object.values(await session.store.backlog()).reduce((sum, { failed }) => sum + failed, 0);
        const lines = [`Retried ${queued} deliver${queued === 1 ? 'y' : 'ies'}.`, ...formatDeliveries(deliveries)];
        if (deadLetters > 0) {
          lines.push(
            `${deadLetters} dead letter${deadLetters === 1 ? ' is' : 's are'} stored (see 'streamalert alerts list --status failed'); ` +
              "replay them with 'streamalert alerts retry --failed', or give up on them with 'streamalert alerts discard'.",
          );
        }
        console.log(lines.join('\n'));
        if (!isComplete(deliveries) || deadLetters > 0) throw new QuietExit(EXIT.failed);
      } finally {
        await session.close();
      }
    });
}
