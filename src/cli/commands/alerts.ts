import type { Command } from 'commander';
import type { AlertStore } from '../../store/alert-store.ts';
import { openAlertStore } from '../../store/open.ts';
import { projectOf } from '../project.ts';
import { registerAlertsDiscard } from './alerts-discard.ts';
import { registerAlertsList } from './alerts-list.ts';
import { registerAlertsRetry } from './alerts-retry.ts';
import { registerAlertsShow } from './alerts-show.ts';

/** `streamalert alerts list|show|retry|discard`: what the alert store holds, and what to do with it. */
export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('stored alerts and their deliveries')
    .addHelpText('after', '\nExamples:\n  $ streamalert alerts list --status failed\n  $ streamalert alerts retry --failed');
  registerAlertsList(alerts);
  registerAlertsShow(alerts);
  registerAlertsRetry(alerts);
  registerAlertsDiscard(alerts);
}

/** Runs `work` on the project's alert store, checked and closed afterwards. */
export async function withAlertStore<T>(command: Command, work: (store: AlertStore) => Promise<T>): Promise<T> {
  const store = await openAlertStore(projectOf(command));
  try {
    await store.verify();
    return await work(store);
  } finally {
    store.close();
  }
}
