import type { Command } from 'commander';
import { configuredOutputs, readOutputsConfig, type ConfiguredOutput } from '../config/outputs-file.ts';
import { assertProject, resolveProjectDir } from '../config/project-dir.ts';

/**
 * The outputs configured in the project a command works on (the global --project option, or env,
 * or cwd), from conf/outputs.json alone: for commands that read nothing else (`output list`),
 * which then start without loading the other files' schemas.
 */
export function configuredOutputsOf(command: Command): ConfiguredOutput[] {
  const dir = resolveProjectDir(command.optsWithGlobals<{ project?: string }>().project);
  assertProject(dir);
  return configuredOutputs(readOutputsConfig(dir));
}
