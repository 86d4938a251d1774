import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/errors.ts';
import { moduleFiles } from '../config/module-files.ts';
import { describeError } from '../observability/describe-error.ts';

/**
 * Imports a project's own output services: every module under `outputs/`. Each `@output` class
 * registers itself, exactly as the built-in ones do, so one class in one file is all a new
 * service needs; the CLI's `--service` choices, prompts and `output services` include it.
 */
export async function loadProjectOutputs(projectDir: string): Promise<void> {
  for (const path of moduleFiles(join(projectDir, 'outputs'))) {
    try {
      await import(pathToFileURL(path).href);
    } catch (error) {
      throw new ConfigError(`${relative(projectDir, path)} could not be loaded (${describeError(error)}); fix the file or move it out of outputs/`, { cause: error });
    }
  }
}
