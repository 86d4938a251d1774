import type { Command } from 'commander';
import { configuredOutputsOf } from '../configured-outputs.ts';

/** `streamalert output list [--json]`: the configured outputs, from conf/outputs.json. */
export function registerOutputList(output: Command): void {
  output
    .command('list')
    .description('list the configured outputs')
    .option('--json', 'print JSON: [{"service": "slack", "descriptor": "sec-alerts"}, ...]')
    .addHelpText('after', '\nExample:\n  $ streamalert output list --json')
    .action((options: { json?: boolean }, command: Command) => {
      const outputs = configuredOutputsOf(command);
      if (options.json) {
        console.log(JSON.stringify(outputs.map(({ service, descriptor }) => ({ service, descriptor }))));
        return;
      }
      if (outputs.length === 0) {
        console.log('No outputs configured. Add one with: streamalert output new --service slack');
        return;
      }
      for (const { service, descriptor, resource } of outputs) {
        console.log(`${service}:${descriptor}${resource ? `  -> ${resource}` : ''}`);
      }
    });
}
