import type { Command } from 'commander';
import { testAlert } from '../../alerts/test-alert.ts';
import { createOutputContext } from '../../outputs/context.ts';
import type { DispatchResult } from '../../outputs/result.ts';
import { EXIT, QuietExit } from '../errors.ts';
import { configuredOutputNamed } from '../output-name.ts';
import { projectOf } from '../project.ts';

/** `streamalert output test <service:descriptor>`: one labelled test alert, one attempt, the answer printed. */
export function registerOutputTest(output: Command): void {
  output
    .command('test')
    .argument('<output>', 'service:descriptor, e.g. slack:sec-alerts')
    .description('send a clearly labelled test alert to one output and print what came back')
    .addHelpText(
      'after',
      `
The test alert is a real one: to PagerDuty (or any paging service, such as Opsgenie) it pages
whoever is on call. Tell them first, or test an output routed to a test service.

Example:
  $ streamalert output test slack:sec-alerts`,
    )
    .action(async (name: string, _options: unknown, command: Command) => {
      const [{ deliverToLoaded, loadConfiguredOutputs }, { credentialStoreOf }] = await Promise.all([import('../../delivery/configured-outputs.ts'), import('../credentials.ts')]);
      const project = projectOf(command);
      await configuredOutputNamed(project, name);
      const alert = testAlert(name);
      // Relative paths in output settings (the file output's) point from the project, as in delivery.
      const context = createOutputContext({ region: project.global.account.region, projectDir: project.dir });
      try {
        const loaded = await loadConfiguredOutputs(project, credentialStoreOf(project), context, [name]);
        const [report] = await deliverToLoaded(alert, loaded);
        console.log(`${name}: ${describeResult(report!.result)}`);
        if (report!.result.kind !== 'delivered') throw new QuietExit(EXIT.failed);
      } finally {
        await context.close();
      }
    });
}

/** One line a person can act on: what happened, why, and when a retry makes sense. */
export function describeResult(result: DispatchResult): string {
  switch (result.kind) {
    case 'delivered':
      return `delivered${result.reference ? ` (reference: ${result.reference})` : ''}`;
    case 'retry':
      return `not delivered, worth retrying (${result.reason}): ${result.message}${result.retryAfterMs !== undefined ? `; the service asks to wait ${Math.ceil(result.retryAfterMs / 1000)} s` : ''}`;
    case 'failed':
      return `failed (${result.reason}): ${result.message}`;
  }
}
