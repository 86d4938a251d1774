import { StackSelectionStrategy, Toolkit, BootstrapEnvironments } from '@aws-cdk/toolkit-lib';

/**
 * The CDK's own deployment engine (@aws-cdk/toolkit-lib, what the `cdk` CLI runs) over the cloud
 * assembly `deploy` synthesized: the same change sets, progress and rollbacks as `cdk deploy`.
 */
const ALL = { strategy: StackSelectionStrategy.ALL_STACKS } as const;

/** Creates or updates the CDK bootstrap stack (the asset bucket the function code is uploaded to) when it is missing or old, then deploys. */
export async function deployAssembly(outdir: string, environment: { account: string; region: string }): Promise<void> {
  const toolkit = new Toolkit();
  await toolkit.bootstrap(BootstrapEnvironments.fromList([`aws://${environment.account}/${environment.region}`]));
  await toolkit.deploy(await toolkit.fromAssemblyDirectory(outdir), { stacks: ALL });
}

/** Prints what a deploy would change, against the deployed stack. */
export async function diffAssembly(outdir: string): Promise<void> {
  const toolkit = new Toolkit();
  await toolkit.diff(await toolkit.fromAssemblyDirectory(outdir), { stacks: ALL });
}

/** Deletes the stack; resources with a Retain policy stay. */
export async function destroyAssembly(outdir: string): Promise<void> {
  const toolkit = new Toolkit();
  await toolkit.destroy(await toolkit.fromAssemblyDirectory(outdir), { stacks: ALL });
}
