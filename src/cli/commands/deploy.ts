import { relative } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { projectOf } from '../project.ts';
import { requireDeployTooling } from '../deploy-tooling.ts';

interface DeployOptions {
  synth?: boolean;
  diff?: boolean;
}

/**
 * `streamalert deploy [--synth | --diff]`: the project's AWS stack (src/deploy) through the AWS
 * CDK. --synth writes the CloudFormation templates to cdk.out/ with no AWS account; --diff and
 * a deploy use the AWS SDK's credentials. The CDK is loaded only here.
 */
export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('deploy the project to AWS (Lambda, DynamoDB, KMS, the inputs of conf/global.json) with the AWS CDK')
    .option('--synth', 'only write the CloudFormation templates to cdk.out/ (no AWS account needed)')
    .option('--diff', 'show what a deploy would change in the deployed stack')
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert deploy --synth     # cdk.out/<prefix>-streamalert.template.json, no account needed
  $ streamalert deploy --diff      # what would change
  $ streamalert deploy             # bootstrap the CDK in the account if needed, then deploy

conf/global.json needs "store": {"backend": "dynamodb"} and an AWS secrets backend; docs/aws.md.`,
    )
    .action(async (options: DeployOptions, command: Command) => {
      if (options.synth && options.diff) throw new CliError('choose one of --synth and --diff');
      const project = projectOf(command);
      requireDeployTooling(options.synth ? 'streamalert deploy --synth' : options.diff ? 'streamalert deploy --diff' : 'streamalert deploy');
      (await import('../../deploy/deployable.ts')).deployableSecretsBackend(project);
      const region = project.global.account.region;
      const action = options.synth ? undefined : options.diff ? 'streamalert deploy --diff' : 'streamalert deploy';
      // Credentials first: a missing one is said before the minute of bundling and synthesis.
      const account = action ? await (await import('../../deploy/aws-account.ts')).awsAccount(region, action) : undefined;
      const { synthesize } = await import('../../deploy/synth.ts');
      const synthesized = await synthesize(project, account ? { account } : {});
      if (!action) {
        for (const [name, { dir, bytes }] of Object.entries(synthesized.functions)) console.log(`Bundled ${name}: ${relative(process.cwd(), dir) || dir}/index.mjs (${(bytes / 1e6).toFixed(1)} MB)`);
        for (const template of synthesized.templates) console.log(`Wrote ${relative(process.cwd(), template) || template}`);
        console.log(`Cloud assembly in ${relative(process.cwd(), synthesized.outdir) || '.'} (stack ${synthesized.stackName}, region ${region}); deploy it with 'streamalert deploy'.`);
        return;
      }
      const toolkit = await import('../../deploy/toolkit.ts');
      if (options.diff) await toolkit.diffAssembly(synthesized.outdir);
      else await toolkit.deployAssembly(synthesized.outdir, { account: account!, region });
    });
}
