import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../config/project.ts';
import { bundleHandler } from '../lambda/bundle.ts';
import { localEnrichmentFiles } from './enrichment-config.ts';
import { FUNCTIONS, type FunctionRole } from './names.ts';

/** A function's code as the stack packages it: a folder with `index.mjs` and the project under `project/`. */
export interface FunctionCode {
  readonly dir: string;
  /** The Lambda handler setting, `index.<export>`. */
  readonly handler: string;
  /** STREAMALERT_PROJECT inside the function (its code is unpacked at /var/task). */
  readonly projectDir: string;
  readonly bytes: number;
}

/**
 * What a function reads from the project folder at run time: its configuration and data, and the
 * module files the loader lists (it then takes each compiled from the bundle), and the files
 * lookup tables and threat intel name wherever they are (localEnrichmentFiles). Samples stay out.
 */
const PROJECT_FILES = ['conf', 'lookup_tables', 'rules', 'matchers', 'publishers', 'outputs', 'package.json'];

/**
 * Bundles each function with esbuild (src/lambda/bundle.ts: no Docker, no TypeScript compiler at
 * run time, the project's rules and outputs compiled in), one ES module per function beside a
 * copy of the project's configuration. Writes under `assetsDir`, one folder per function,
 * replacing what an earlier synth left there.
 *
 * @example
 *   const code = await bundleFunctions(project, join(project.dir, 'cdk.out', 'functions'));
 *   code.rulesEngine.dir // .../cdk.out/functions/rulesEngine
 */
export async function bundleFunctions(project: Project, assetsDir: string): Promise<Record<FunctionRole, FunctionCode>> {
  const entries = Object.entries(FUNCTIONS) as [FunctionRole, (typeof FUNCTIONS)[FunctionRole]][];
  const code = await Promise.all(
    entries.map(async ([role, { handlerExport }]): Promise<[FunctionRole, FunctionCode]> => {
      const dir = join(assetsDir, role);
      rmSync(dir, { recursive: true, force: true });
      const { bytes } = await bundleHandler({ projectDir: project.dir, handler: handlerExport, outfile: join(dir, 'index.mjs') });
      for (const file of [...PROJECT_FILES, ...localEnrichmentFiles(project.dir)]) {
        const source = join(project.dir, file);
        if (existsSync(source)) cpSync(source, join(dir, 'project', file), { recursive: true });
      }
      return [role, { dir, handler: `index.${handlerExport}`, projectDir: '/var/task/project', bytes }];
    }),
  );
  return Object.fromEntries(code) as Record<FunctionRole, FunctionCode>;
}
