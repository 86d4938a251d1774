import { existsSync, readdirSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a project's code may be written in; tsx compiles TypeScript on load (see importProjectModule). */
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Every module file under `dir` (rules/, publishers/, outputs/), sorted, skipping hidden folders, node_modules and .d.ts files. */
export function moduleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...moduleFiles(path));
    else if (MODULE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(entry.name)) found.push(path);
  }
  return found;
}

/**
 * Imports one of a project's modules (a rule, publisher or output file). The hooks this needs are
 * registered on first use, so commands that run no project code never pay for them: the resolve
 * hook that makes `import ... from 'streamalert'` mean this running copy (a project then needs no
 * node_modules of its own, and its rules share our registries), and, for TypeScript files when we
 * run compiled, tsx's loader.
 */
export async function importProjectModule(path: string): Promise<Record<string, unknown>> {
  registerSelfResolve();
  if (/\.[mc]?ts$/.test(path)) await registerTypeScript();
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/** Whether this module is the TypeScript source (run through tsx, which is then already registered) or compiled. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

let selfResolveRegistered = false;
function registerSelfResolve(): void {
  if (selfResolveRegistered) return;
  selfResolveRegistered = true;
  const self = new URL(FROM_SOURCE ? '../index.ts' : '../index.js', import.meta.url).href;
  register(new URL('./self-resolve-hook.js', import.meta.url), { data: { self } });
}

let typeScriptRegistered: Promise<void> | undefined;
function registerTypeScript(): Promise<void> {
  if (FROM_SOURCE) return Promise.resolve();
  typeScriptRegistered ??= import('tsx/esm/api').then(({ register: registerTsx }) => void registerTsx());
  return typeScriptRegistered;
}
