import type { Command } from 'commander';
import { projectOf } from '../project.ts';
import { requireDeployTooling } from '../deploy-tooling.ts';

/**
 * `streamalert destroy [--yes]`: deletes the project's AWS stack. First it says exactly what
 * stays (every resource with a Retain policy: the alerts table, the secrets bucket, key and alias,
 * created input buckets, buckets and log groups of outputs marked as ours, log groups) and what goes; without --yes it stops there.
 */
export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .description("delete the project's AWS stack; the alerts table, buckets, KMS key and logs are kept")
    .option('--yes', 'delete the stack; without it, only list what would be kept and what deleted')
    .addHelpText('after', '\nExamples:\n  $ streamalert destroy         # what would be deleted and kept\n  $ streamalert destroy --yes   # delete the stack')
    .action(async (options: { yes?: boolean }, command: Command) => {
      const project = projectOf(command);
      requireDeployTooling('streamalert destroy');
      (await import('../../deploy/deployable.ts')).deployableSecretsBackend(project);
      const region = project.global.account.region;
      const account = options.yes ? await (await import('../../deploy/aws-account.ts')).awsAccount(region, 'streamalert destroy') : undefined;
      const { synthesize } = await import('../../deploy/synth.ts');
      const { keptAndDeleted } = await import('../../deploy/kept.ts');
      const synthesized = await synthesize(project, account ? { account } : {});
      const { kept, deleted } = keptAndDeleted(synthesized.templates[0]!);
      console.log(`Stack ${synthesized.stackName} in ${region}.`);
      console.log('Kept, with their data (delete them yourself if you want them gone):');
      for (const line of kept) console.log(`  ${line}`);
      console.log('Deleted (messages still in the dead-letter and input queues are lost):');
      for (const [type, count] of Object.entries(deleted).sort()) console.log(`  ${count} x ${type}`);
      if (!options.yes) {
        console.log("Nothing deleted: run 'streamalert destroy --yes' to delete the stack.");
        return;
      }
      await (await import('../../deploy/toolkit.ts')).destroyAssembly(synthesized.outdir);
    });
}
