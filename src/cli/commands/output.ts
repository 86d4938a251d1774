import type { Command } from 'commander';
import { registerOutputDelete } from './output-delete.ts';
import { registerOutputGet } from './output-get.ts';
import { registerOutputList } from './output-list.ts';
import { registerOutputNew } from './output-new.ts';
import { registerOutputServices } from './output-services.ts';
import { registerOutputTest } from './output-test.ts';

/** `streamalert output new|list|get|delete|test|services`: configured outputs. */
export function registerOutput(program: Command): void {
  const output = program
    .command('output')
    .description('configure and inspect outputs')
    .addHelpText('after', '\nExamples:\n  $ streamalert output new --service slack\n  $ streamalert output list\n  $ streamalert output test slack:sec-alerts');
  registerOutputNew(output);
  registerOutputList(output);
  registerOutputGet(output);
  registerOutputDelete(output);
  registerOutputTest(output);
  registerOutputServices(output);
}
