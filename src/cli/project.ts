import type { Command } from 'commander';
import { loadProject, resolveProjectDir, type Project } from '../config/project.ts';

/** The project a command works on, from the global --project option (or env, or cwd), validated by loadProject. */
export function projectOf(command: Command, options: Parameters<typeof loadProject>[1] = {}): Project {
  const { project } = command.optsWithGlobals<{ project?: string }>();
  return loadProject(resolveProjectDir(project), options);
}
