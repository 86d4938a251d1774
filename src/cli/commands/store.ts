import type { Command } from 'commander';
import { DynamoDbAlertStore } from '../../store/dynamodb.ts';
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
      const alerts = openAlertStore(projectOf(command));
      try {
        if (!(alerts instanceof DynamoDbAlertStore)) {
          console.log('The SQLite alert store (.streamalert/alerts.db) is created on first use: nothing to set up.');
          return;
        }
        const outcome = await alerts.ensureTable();
        console.log(outcome === 'created' ? `Created the DynamoDB table ${alerts.location}.` : `The DynamoDB table ${alerts.location} already exists.`);
      } finally {
        alerts.close();
      }
    });
}
