import { describeResult } from '../../cli/commands/output-test.ts';
import { testAlert } from '../../alerts/test-alert.ts';
import { configuredOutputs, loadProject } from '../../config/project.ts';
import { deliverToLoaded, loadConfiguredOutputs } from '../../delivery/configured-outputs.ts';
import { createOutputContext } from '../../outputs/context.ts';
import { createCredentialStore } from '../../secrets/create.ts';
import { RequestError } from '../errors.ts';
import type { ConsoleParts } from './parts.ts';

/**
 * What `output test NAME` does, from the console: one labelled test alert, one attempt, and
 * the answer in the CLI's words. Not stored: it is a check of the output, not an alert.
 */
export async function sendTestAlert(parts: ConsoleParts, name: string): Promise<string> {
  const project = loadProject(parts.project.dir);
  if (!configuredOutputs(project.outputs).some((o) => `${o.service}:${o.descriptor}` === name)) throw new RequestError(404, `${name} is not a configured output`);
  const context = createOutputContext({ region: project.global.account.region, projectDir: project.dir });
  try {
    const credentials = createCredentialStore(project, { notice: (line) => parts.log.info(line) });
    const loaded = await loadConfiguredOutputs(project, credentials, context, [name]);
    const [report] = await deliverToLoaded(testAlert(name), loaded);
    return `Test alert to ${name}: ${describeResult(report!.result)}`;
  } finally {
    await context.close();
  }
}
