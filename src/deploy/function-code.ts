import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../config/project.ts';
import { FUNCTIONS, type FunctionRole } from './names.ts';

/** A function's code as the stack packages it: a folder with `index.mjs` and the project under `project/`. */
export interface FunctionCode {
  readonly dir: string;
  /** The Lambda handler setting, `index.<export>`. */
  readonly handler: string;
  /** STREAMALERT_PROJECT inside the function (its code is unpacked at /var/task). */
  readonly projectDir: string;
  /** False when the handlers module has no such export (yet): the function would fail at its first invocation. */
  readonly exported: boolean;
}

/** The parts of a project a function reads at run time (the rest, samples and tests, stays out). */
const PROJECT_FOLDERS = ['conf', 'rules', 'publishers', 'matchers', 'outputs', 'lookup_tables'];

/** Packages the bundle must not inline: native addons and compilers the embedded mode alone loads. */
const EXTERNAL = ['better-sqlite3', 'tsx', 'typescript', 'esbuild'];

/**
 * Bundles each function with esbuild (no Docker, no TypeScript compiler at run time): one
 * ESM file of its handler and what it imports, beside a copy of the project. Writes under
 * `assetsDir`, one folder per function, replacing what an earlier synth left there.
 *
 * @example
 *   const code = await bundleFunctions(project, join(project.dir, 'cdk.out', 'functions'));
 *   code.rulesEngine.dir // .../cdk.out/functions/rulesEngine
 */
export async function bundleFunctions(project: Project, assetsDir: string): Promise<Record<FunctionRole, FunctionCode>> {
  const { build } = await import('esbuild').catch((error: unknown) => {
    throw new Error(`bundling the Lambda functions needs esbuild (npm install esbuild): ${(error as Error).message}`);
  });
  const handlers = handlersModule();
  const entries = Object.entries(FUNCTIONS) as [FunctionRole, (typeof FUNCTIONS)[FunctionRole]][];
  const code = await Promise.all(
    entries.map(async ([role, { handlerExport }]): Promise<[FunctionRole, FunctionCode]> => {
      const dir = join(assetsDir, role);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      // `export *` rather than one name: a handler export not written yet is reported, not a failed synth.
      const result = await build({
        stdin: { contents: `export * from ${JSON.stringify(handlers)};`, resolveDir: dirname(handlers), loader: 'ts' },
        metafile: true,
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        outfile: join(dir, 'index.mjs'),
        external: EXTERNAL,
        // CommonJS dependencies call require(); an ES module has none of its own.
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
        logLevel: 'error',
        minify: true,
        legalComments: 'none',
      });
      for (const folder of PROJECT_FOLDERS) {
        const source = join(project.dir, folder);
        if (existsSync(source)) cpSync(source, join(dir, 'project', folder), { recursive: true });
      }
      const exports = Object.values(result.metafile.outputs).flatMap((output) => output.exports);
      return [role, { dir, handler: `index.${handlerExport}`, projectDir: '/var/task/project', exported: exports.includes(handlerExport) }];
    }),
  );
  return Object.fromEntries(code) as Record<FunctionRole, FunctionCode>;
}

/** src/lambda/handlers.ts from the sources, dist/lambda/handlers.js from the compiled package. */
function handlersModule(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), '..', 'lambda', here.endsWith('.ts') ? 'handlers.ts' : 'handlers.js');
}
