import { join, relative, sep } from 'node:path';
import { ConfigError } from '../config/errors.ts';
import { importProjectModule, moduleFiles, moduleTypeProblem } from '../config/module-files.ts';
import { describeError } from '../observability/describe-error.ts';
import { OutputBase } from './output.ts';
import { isRegistered, loadServices } from './registry.ts';
// The built-in services are declared first: a project's service that takes one of their ids is a duplicate.
import './builtin.ts';

/**
 * Imports a project's own output services: every module under `outputs/`. Each `@output` class
 * registers itself, exactly as the built-in ones do, so one class in one file is all a new
 * service needs; the CLI's `--service` choices, prompts and `output services` include it.
 * An exported service class that is not registered (no `@output`) would be ignored without a
 * word: `warn` names its file and the fix (default: a `warning:` line on standard error).
 *
 * @example
 *   await loadProjectOutputs(project.dir);  // warning: outputs/gotify.ts: class GotifyOutput (service 'gotify') has no @output ...
 */
export async function loadProjectOutputs(projectDir: string, warn: (message: string) => void = (message) => console.error(`warning: ${message}`)): Promise<void> {
  const paths = moduleFiles(join(projectDir, 'outputs'));
  // The built-in services first: a project's service that takes one of their ids is refused as a duplicate.
  if (paths.length > 0) await loadServices();
  for (const path of paths) {
    const file = relative(projectDir, path).split(sep).join('/');
    let exports: Record<string, unknown>;
    try {
      exports = await importProjectModule(path);
    } catch (error) {
      const notModule = moduleTypeProblem(path);
      throw new ConfigError(`${file} could not be loaded${notModule ? `: ${notModule}` : ` (${describeError(error)}); fix the file or move it out of outputs/`}`, { cause: error });
    }
    for (const value of new Set(Object.values(exports))) {
      if (isUnregisteredService(value)) {
        warn(`${file}: class ${value.name} (service '${value.service}') has no @output, so it is not registered and no command sees it; add @output on the line above 'export class ${value.name}'`);
      }
    }
  }
}

/** A class that declares a service id of its own (a shared base class declares none) but was never registered. */
function isUnregisteredService(value: unknown): value is typeof OutputBase {
  if (typeof value !== 'function' || !(value.prototype instanceof OutputBase)) return false;
  const cls = value as typeof OutputBase;
  if (!Object.hasOwn(cls, 'service') || cls.service === '') return false;
  return !isRegistered(cls);
}
