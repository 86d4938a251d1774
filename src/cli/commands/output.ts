import type { Command } from 'commander';

/**
 * The `output` subcommands, loaded as the top-level commands are (see COMMANDS in main.ts):
 * `output list` reads only its own file, not the prompt and delivery code of `new` and `test`.
 */
const SUBCOMMANDS: Record<string, () => Promise<(output: Command) => void>> = {
  new: async () => (await import('./output-new.ts')).registerOutputNew,
  list: async () => (await import('./output-list.ts')).registerOutputList,
  get: async () => (await import('./output-get.ts')).registerOutputGet,
  delete: async () => (await import('./output-delete.ts')).registerOutputDelete,
  test: async () => (await import('./output-test.ts')).registerOutputTest,
  services: async () => (await import('./output-services.ts')).registerOutputServices,
};

/** `streamalert output new|list|get|delete|test|services`: configured outputs; with `subcommand`, only that one. */
export async function registerOutput(program: Command, subcommand?: string): Promise<void> {
  const output = program
    .command('output')
    .description('configure and inspect outputs')
    .addHelpText('after', '\nExamples:\n  $ streamalert output new --service slack\n  $ streamalert output list\n  $ streamalert output test slack:sec-alerts');
  const wanted = subcommand !== undefined && Object.hasOwn(SUBCOMMANDS, subcommand) ? [subcommand] : Object.keys(SUBCOMMANDS);
  for (const register of await Promise.all(wanted.map((name) => SUBCOMMANDS[name]!()))) register(output);
}
