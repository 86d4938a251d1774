import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { moduleFiles } from '../config/module-files.ts';

/**
 * The handlers a function can run, as src/lambda/handlers.ts exports them, by the module that
 * defines each: a bundle starts from that one, so the rules engine's carries no delivery code.
 */
const HANDLER_MODULES = { rulesEngine: 'rules-engine', alertProcessor: 'alert-processor', alertStreamProcessor: 'alert-processor' } as const;
export type HandlerName = keyof typeof HANDLER_MODULES;
export const HANDLERS = Object.keys(HANDLER_MODULES) as HandlerName[];

/** The project folders whose modules the loader imports (rules, their matchers and publishers, the project's own outputs). */
const MODULE_FOLDERS = ['rules', 'matchers', 'publishers', 'outputs'];

/** Left out of the bundle: the compilers only the embedded mode loads (imported at first use, which a bundle never reaches). */
const EXTERNAL = ['tsx', 'typescript', 'esbuild'];

/**
 * The native SQLite addon cannot be bundled, and an external one would be imported when the
 * bundle loads (esbuild hoists an ES module's external imports), failing every function that
 * has no node_modules: in its place, a module that fails only if the SQLite store is opened.
 */
const withoutSqlite: Plugin = {
  name: 'streamalert-without-sqlite',
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'streamalert-without-sqlite' }));
    build.onLoad({ filter: /.*/, namespace: 'streamalert-without-sqlite' }, () => ({
      contents: `throw new Error('the SQLite alert store is not in a Lambda bundle: set "store": {"backend": "dynamodb"} in conf/global.json');`,
      loader: 'js',
    }));
  },
};

/** This copy's modules: src/ (TypeScript) from a checkout, dist/ (compiled) from an installed package. */
const HERE = fileURLToPath(import.meta.url);
const EXT = HERE.endsWith('.ts') ? '.ts' : '.js';

/**
 * A dependency loaded at first use through `createRequire(import.meta.url)('ipaddr.js')` (the
 * CLI's start-up never pays for it) is invisible to esbuild, and a function has no node_modules
 * to resolve it from at run time: in the bundle it becomes a plain require(), which esbuild
 * bundles, still evaluated at first use.
 */
const LAZY_REQUIRE = 'createRequire(import.meta.url)(';
const bundleLazyRequires: Plugin = {
  name: 'streamalert-lazy-requires',
  setup(build) {
    build.onLoad({ filter: /\.[jt]s$/ }, (args) => {
      if (!args.path.startsWith(sourceDir())) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(LAZY_REQUIRE)) return undefined;
      return { contents: text.replaceAll(LAZY_REQUIRE, 'require('), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

export interface BundleOptions {
  /** The project folder, as it is at bundle time: its rules and outputs are compiled in. */
  readonly projectDir: string;
  readonly handler: HandlerName;
  /** The bundle to write, e.g. `.../rulesEngine/index.mjs` (an ES module: the handler setting is `index.<handler>`). */
  readonly outfile: string;
  /** Default true: smaller to load is faster to start. */
  readonly minify?: boolean;
}

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  /** The project's modules compiled in, relative to the project folder. */
  readonly projectModules: readonly string[];
}

/**
 * One function's code as one ES module file (esbuild; platform node, target node20): the
 * handler, everything it imports (the AWS SDK clients, the outputs), and the project's rules,
 * matchers, publishers and outputs, registered so the loader takes them compiled
 * (src/config/bundled-modules.ts): no TypeScript loader at run time. The project's conf/ and
 * data files are read at run time from STREAMALERT_PROJECT, so the function's package is this
 * file beside a copy of the project folder.
 *
 * @example
 *   await bundleHandler({ projectDir: '/srv/secops', handler: 'rulesEngine', outfile: 'cdk.out/functions/rulesEngine/index.mjs' });
 */
export async function bundleHandler(options: BundleOptions): Promise<BundleResult> {
  const { build } = await import('esbuild').catch((error: unknown) => {
    throw new Error(`bundling a Lambda function needs esbuild (npm install esbuild): ${(error as Error).message}`);
  });
  const projectDir = resolve(options.projectDir);
  const projectModules = MODULE_FOLDERS.flatMap((folder) => moduleFiles(join(projectDir, folder)));
  const source = sourceDir();
  await build({
    stdin: { contents: entryModule(options.handler, projectDir, projectModules, source), resolveDir: source, sourcefile: `${options.handler}-entry.js`, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: options.outfile,
    external: EXTERNAL,
    plugins: [bundleLazyRequires, withoutSqlite],
    // A rule's `import ... from 'streamalert'` is this copy, as the CLI's resolve hook makes it: one set of registries.
    alias: { streamalert: join(source, `index${EXT}`) },
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'error',
  });
  return { outfile: options.outfile, bytes: statSync(options.outfile).size, projectModules: projectModules.map((path) => relative(projectDir, path)) };
}

/**
 * The bundle's entry: registers the project's modules as lazy imports (each is evaluated when
 * the loader asks for it, in its order, as a file would be), then exports the handler.
 */
function entryModule(handler: HandlerName, projectDir: string, modules: readonly string[], source: string): string {
  const entries = modules.map((path) => `  ${JSON.stringify(relative(projectDir, path))}: () => import(${JSON.stringify(path)}),`);
  return [
    `import { registerBundledModules } from ${JSON.stringify(join(source, 'config', `bundled-modules${EXT}`))};`,
    `import { resolveProjectDir } from ${JSON.stringify(join(source, 'config', `project${EXT}`))};`,
    `registerBundledModules(resolveProjectDir(), {`,
    ...entries,
    `});`,
    `export { ${handler} } from ${JSON.stringify(join(source, 'lambda', `${HANDLER_MODULES[handler]}${EXT}`))};`,
  ].join('\n');
}

function sourceDir(): string {
  return join(dirname(HERE), '..');
}
