import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Project } from '../config/project.ts';
import { deployableSecretsBackend } from './deployable.ts';
import { bundleFunctions, type FunctionCode } from './function-code.ts';
import { ownOutputs } from './own-outputs.ts';
import { CDK_OUT, stackName, type FunctionRole } from './names.ts';
import { StreamAlertStack } from './stack.ts';

export interface Synthesized {
  /** The cloud assembly folder, `<project>/cdk.out`. */
  readonly outdir: string;
  readonly stackName: string;
  /** The CloudFormation templates written, absolute paths. */
  readonly templates: string[];
  /** Each function's bundle: its folder and the size of its one module. */
  readonly functions: Record<FunctionRole, FunctionCode>;
}

/**
 * Bundles the functions and synthesizes the project's stack into `<project>/cdk.out`, with no
 * AWS account: the region is conf/global.json's, the account the one given (deploy's) or left open.
 *
 * @example
 *   const { templates } = await synthesize(loadProject('/srv/secops'));
 */
export async function synthesize(project: Project, options: { account?: string } = {}): Promise<Synthesized> {
  deployableSecretsBackend(project);
  // Before the seconds of bundling: a wrong deploy.createOutputs entry fails at once.
  ownOutputs(project);
  const outdir = join(project.dir, CDK_OUT);
  // A fresh assembly: assets of an earlier synth would otherwise pile up beside the new ones.
  rmSync(outdir, { recursive: true, force: true });
  const code = await bundleFunctions(project, join(outdir, 'functions'));
  const app = new App({ outdir, analyticsReporting: false });
  const name = stackName(project.global.account.prefix);
  new StreamAlertStack(app, name, {
    project,
    code,
    env: { region: project.global.account.region, ...(options.account ? { account: options.account } : {}) },
    description: `StreamAlert for ${project.global.account.prefix}: rules over logs, alerts delivered (streamalert deploy)`,
  });
  app.synth();
  return {
    outdir,
    stackName: name,
    templates: readdirSync(outdir).filter((file) => file.endsWith('.template.json')).map((file) => join(outdir, file)),
    functions: code,
  };
}
