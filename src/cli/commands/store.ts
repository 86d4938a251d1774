import type { Command } from 'commander';
import { openAlertStore } from '../../store/open.ts';
import { projectOf } from '../project.ts';

/** `streamalert store setup`: creates the alert store where it needs creating (the DynamoDB table). */
export function registerStore(program: Command): void {
  const store = program
    .command('store')
    .description('the alert store (SQLite embedded, DynamoDB on AWS)')
    .addHelpText('after', '\nExample:\n  $ streamalert store setup');
  store
    .command('setup')
    .description("create the alert store if it does not exist: the DynamoDB table '<prefix>_streamalert_alerts' with its due index")
    .addHelpText('after', '\nExample:\n  $ streamalert store setup')
    .action(async (_options: unknown, command: Command) => {
      const project = projectOf(command);
      if (project.global.store.backend !== 'dynamodb') {
        console.log('The SQLite alert store (.streamalert/alerts.db) is created on first use: nothing to set up.');
        return;
      }
      const { DynamoDbAlertStore } = await import('../../store/dynamodb.ts');
      const alerts = await openAlertStore(project);
      try {
        if (!(alerts instanceof DynamoDbAlertStore)) throw new Error(`store.backend 'dynamodb' opened ${alerts.location}`);
        const outcome = await alerts.ensureTable();
        console.log(outcome === 'created' ? `Created the DynamoDB table ${alerts.location}.` : `The DynamoDB table ${alerts.location} already exists.`);
      } finally {
        alerts.close();
      }
    });
}
