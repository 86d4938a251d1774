import type { Command } from 'commander';
import { MasterKeyError, outputName } from '../../secrets/errors.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';

/** `streamalert secrets rotate|setup`: manage where output credentials are kept. */
export function registerSecrets(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('manage the encrypted output credentials')
    .addHelpText('after', '\nExamples:\n  $ streamalert secrets setup     # AWS backends only: the KMS key (and bucket)\n  $ streamalert secrets rotate');

  secrets
    .command('rotate')
    .description('re-encrypt every stored secret under a new master key (local) or the current KMS key (AWS)')
    .addHelpText('after', '\nSafe to interrupt and run again: every secret stays readable throughout.\n\nExample:\n  $ streamalert secrets rotate')
    .action(async (_options: unknown, command: Command) => {
      const { createCredentialStore } = await import('../../secrets/create.ts');
      const store = createCredentialStore(projectOf(command));
      try {
        const report = await store.rotate({ onRotated: (key) => console.log(`  re-encrypted ${outputName(key)}`) });
        for (const { key, error } of report.failed) console.error(`  not rotated: ${outputName(key)}: ${error.message}`);
        console.log(`${report.rotated.length} secret(s) now encrypted under ${report.target}.`);
        if (report.followUp) console.log(report.followUp);
        if (report.failed.length > 0) {
          throw new CliError(`${report.failed.length} secret(s) could not be re-encrypted (see above); they are still readable as they were`, EXIT.failed);
        }
      } catch (error) {
        // A missing, malformed or single environment master key is configuration: exit 2.
        if (error instanceof MasterKeyError) throw new CliError(error.message, EXIT.usage);
        throw error;
      } finally {
        store.close?.();
      }
    });

  secrets
    .command('setup')
    .description('create the KMS key and (aws-s3-kms) the S3 bucket the AWS backends need; once per account and region')
    .addHelpText('after', '\nExample:\n  $ streamalert secrets setup')
    .action(async (_options: unknown, command: Command) => {
      const { global } = projectOf(command);
      const backend = global.secrets.backend;
      if (backend === 'local') {
        console.log('The local backend needs no setup: its master key is created the first time a secret is stored.');
        return;
      }
      const [{ SecretsAwsClients }, { setupAwsSecrets }] = await Promise.all([import('../../secrets/aws-clients.ts'), import('../../secrets/aws-setup.ts')]);
      const clients = new SecretsAwsClients({ region: global.account.region });
      try {
        for (const line of await setupAwsSecrets(backend, global.account.prefix, clients)) console.log(line);
      } finally {
        clients.destroy();
      }
    });
}
