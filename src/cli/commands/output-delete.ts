import type { Command } from 'commander';
import { removeOutputConfig } from '../../config/output-config.ts';
import { CliError } from '../errors.ts';
import { configuredOutputNamed } from '../output-name.ts';
import { projectOf } from '../project.ts';

/**
 * `streamalert output delete <service:descriptor> [--force]`: removes the config and the stored
 * secret; refuses while rules name the output (they would be disabled), unless forced.
 */
export function registerOutputDelete(output: Command): void {
  output
    .command('delete')
    .argument('<output>', 'service:descriptor, e.g. slack:sec-alerts')
    .description('remove a configured output and its stored credentials; refuses while rules name it')
    .option('--force', 'delete even though rules name it: they are disabled until changed')
    .addHelpText('after', '\nExamples:\n  $ streamalert output delete slack:beta-rules\n  $ streamalert output delete slack:beta-rules --force')
    .action(async (name: string, options: { force?: boolean }, command: Command) => {
      const project = projectOf(command);
      const [{ loadDetection }, { credentialStoreOf }] = await Promise.all([import('../../pipeline/load.ts'), import('../credentials.ts')]);
      const { cls, descriptor } = await configuredOutputNamed(project, name);
      const output = `${cls.service}:${descriptor}`;
      if (project.global.deadLetterOutput === output) {
        throw new CliError(`${output} is the deadLetterOutput in conf/global.json; change or remove deadLetterOutput there first, then delete it`);
      }
      const { rules } = await loadDetection(project);
      const users = rules.filter((rule) => rule.outputs.includes(output)).map((rule) => `${rule.name} (${rule.file})`);
      if (users.length > 0 && !options.force) {
        throw new CliError(
          `${output} is named by ${users.length} rule${users.length === 1 ? '' : 's'}: ${users.join(', ')}; remove it from their outputs first, ` +
            'or delete it anyway with --force (those rules are then disabled until changed)',
        );
      }
      await removeOutputConfig(project, credentialStoreOf(project), cls, descriptor);
      console.log(`Deleted ${output} and its stored credentials.`);
      if (users.length > 0) console.log(`These rules lose it, and are disabled until you change their outputs: ${users.join(', ')}`);
    });
}
