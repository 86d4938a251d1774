import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.ts';
import { withAlertStore } from './alerts.ts';

export function registerAlertsDiscard(alerts: Command): void {
  alerts
    .command('discard')
    .argument('[id]', "one alert's dead letters")
    .option('--output <service:descriptor>', "every dead letter of this output (with an id: only that alert's)")
    .description('give up on dead letters for good: they stay listed as discarded, and are never attempted again')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts discard 3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10\n  $ streamalert alerts discard --output slack:old-channel')
    .action(async (id: string | undefined, options: { output?: string }, command: Command) => {
      if (id === undefined && options.output === undefined) throw new CliError("say which dead letters to discard: an alert id, or --output service:descriptor (see 'streamalert alerts list --status failed')");
      await withAlertStore(command, async (store) => {
        const discarded = await store.discard({ ...(id !== undefined && { alertId: id }), ...(options.output !== undefined && { output: options.output }) });
        const which = [id && `alert ${id}`, options.output && `output ${options.output}`].filter(Boolean).join(', ');
        if (discarded === 0) throw new CliError(`no dead letters for ${which} (see 'streamalert alerts list --status failed')`, EXIT.failed);
        console.log(`Discarded ${discarded} dead letter${discarded === 1 ? '' : 's'} (${which}).`);
      });
    });
}
