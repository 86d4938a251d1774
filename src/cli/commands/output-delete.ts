import type { Command } from 'commander';
import { removeOutputConfig } from '../../config/output-config.ts';
import { credentialStoreOf } from '../credentials.ts';
import { configuredOutputNamed } from '../output-name.ts';
import { projectOf } from '../project.ts';

/** `streamalert output delete <service:descriptor>`: removes the config and the stored secret. */
export function registerOutputDelete(output: Command): void {
  output
    .command('delete')
    .argument('<output>', 'service:descriptor, e.g. slack:sec-alerts')
    .description('remove a configured output and its stored credentials')
    .addHelpText('after', '\nExample:\n  $ streamalert output delete slack:beta-rules')
    .action(async (name: string, _options: unknown, command: Command) => {
      const project = projectOf(command);
      const { cls, descriptor } = configuredOutputNamed(project, name);
      await removeOutputConfig(project, credentialStoreOf(project), cls, descriptor);
      console.log(`Deleted ${cls.service}:${descriptor} and its stored credentials. Rules that name it will now fail to load until you remove it from them.`);
    });
}
