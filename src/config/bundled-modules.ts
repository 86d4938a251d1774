import { join } from 'node:path';

/** A project module compiled into a Lambda bundle: imported on first use, as the loader imports a file. */
export type BundledModule = () => Promise<Record<string, unknown>>;

const bundled = new Map<string, BundledModule>();

/**
 * Registers the project modules a Lambda bundle carries (src/lambda/bundle.ts writes the call),
 * by their path relative to the project folder, which is known only at run time
 * (STREAMALERT_PROJECT). importProjectModule then takes them from here: no TypeScript compiler,
 * no resolve hook, at run time.
 *
 * @example
 *   registerBundledModules('/var/task/project', { 'rules/root_login.ts': () => import('/build/project/rules/root_login.ts') });
 */
export function registerBundledModules(projectDir: string, modules: Record<string, BundledModule>): void {
  for (const [relative, load] of Object.entries(modules)) bundled.set(join(projectDir, relative), load);
}

/** The bundled module at this absolute path, if the running bundle carries it. */
export function bundledModule(path: string): BundledModule | undefined {
  return bundled.get(path);
}
