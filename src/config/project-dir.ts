import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NoProjectError } from './errors.ts';

/** The project folder: --project, else $STREAMALERT_PROJECT, else the current directory. */
export function resolveProjectDir(option?: string): string {
  return resolve(option ?? process.env.STREAMALERT_PROJECT ?? process.cwd());
}

/** Throws a NoProjectError when `dir` has no conf/ folder: it is not a project. */
export function assertProject(dir: string): void {
  if (!existsSync(join(dir, 'conf'))) throw new NoProjectError(dir);
}
