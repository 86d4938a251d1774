import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledModule } from './bundled-modules.ts';

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
 * Why Node will not load a project's module as an ES module, if that is so: rule, publisher and
 * output files use `import`/`export`, and Node reads .ts and .js files as CommonJS unless the
 * nearest package.json says `"type": "module"` (`npm init -y` writes `"commonjs"`), then fails in
 * confusing ways. One line naming the package.json and the fix; undefined when it says "module".
 *
 * @example
 *   moduleTypeProblem('/srv/secops/rules/duo.ts') // '/srv/secops/package.json says "type": "commonjs", but rule and output files are ES modules: set "type": "module" in it ...'
 */
export function moduleTypeProblem(path: string): string | undefined {
  if (path.endsWith('.mts') || path.endsWith('.mjs')) return undefined;
  const fix = "set \"type\": \"module\" in it ('streamalert init' does), or name the file .mts";
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let type: unknown;
      try {
        type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch {
        return `${manifest} is not valid JSON, and Node reads it to tell an ES module: fix it, with "type": "module" (rule and output files are ES modules)`;
      }
      if (type === 'module') return undefined;
      const says = type === undefined ? 'has no "type"' : `says "type": ${JSON.stringify(type)}`;
      return `${manifest} ${says}, but rule and output files are ES modules: ${fix}`;
    }
    if (dirname(dir) === dir) return `no package.json above it says "type": "module", and rule and output files are ES modules: add one to the project ('streamalert init' writes it), or name the file .mts`;
  }
}

/**
 * Imports one of a project's modules (a rule, publisher or output file). The hooks this needs are
 * registered on first use, so commands that run no project code never pay for them: the resolve
 * hook that makes `import ... from 'streamalert'` mean this running copy (a project then needs no
 * node_modules of its own, and its rules share our registries), unless Node finds this copy from
 * the file anyway (a project that installed the package it runs), and, for TypeScript files when
 * we run compiled, tsx's loader. Each hook runs on a thread of Node's, and every import after it
 * waits on that thread: about 200 ms of a command's start.
 */
export async function importProjectModule(path: string): Promise<Record<string, unknown>> {
  // A Lambda bundle carries the project's modules compiled (src/lambda/bundle.ts).
  const bundled = bundledModule(path);
  if (bundled) return bundled();
  registerSelfResolveFor(path);
  if (/\.[mc]?ts$/.test(path)) await registerTypeScript();
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/** Whether this module is the TypeScript source (run through tsx, which is then already registered) or compiled. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The running copy's entry, which `import ... from 'streamalert'` must mean in a project's modules. */
const SELF = new URL(FROM_SOURCE ? '../index.ts' : '../index.js', import.meta.url);

/** The running copy's entry on disk, links resolved: read once, on the first module that needs it. */
let selfPath: string | undefined;

/** Whether Node itself resolves `streamalert` from `path` to the running copy (its node_modules holds the package that runs). */
function resolvesToSelf(path: string): boolean {
  try {
    selfPath ??= realpathSync(fileURLToPath(SELF));
    return realpathSync(createRequire(path).resolve('streamalert')) === selfPath;
  } catch {
    return false;
  }
}

let selfResolveRegistered = false;
/** Registers the resolve hook, once, for the first module from which Node would not find the running copy. */
function registerSelfResolveFor(path: string): void {
  if (selfResolveRegistered || resolvesToSelf(path)) return;
  selfResolveRegistered = true;
  register(new URL('./self-resolve-hook.js', import.meta.url), { data: { self: SELF.href } });
}

let typeScriptRegistered: Promise<void> | undefined;
function registerTypeScript(): Promise<void> {
  if (FROM_SOURCE) return Promise.resolve();
  typeScriptRegistered ??= import('tsx/esm/api').then(({ register: registerTsx }) => void registerTsx());
  return typeScriptRegistered;
}
