import { Option } from 'commander';
import type { Project } from '../config/project.ts';
import type { Detection } from '../pipeline/load.ts';

/**
 * `--strict` of `run`, `serve` and `rules test`: what does not load refuses to start.
 *
 * @example
 *   program.command('run').addOption(strictOption())
 */
export function strictOption(): Option {
  return new Option('--strict', 'refuse to start (exit 2) when a rule file, rule or schema does not load, for CI; without it only what is broken is disabled');
}

/**
 * The schemas and rules a command detects with. What did not load is said on standard error, a
 * line each: with `strict` as errors, refusing to start (exit 2); else as warnings naming what
 * is disabled, while everything else runs.
 *
 * @example
 *   const detection = await detectionFor(project, { strict: options.strict });
 *   const pipeline = new Pipeline({ ...detection, outputs: project.outputs });
 */
export async function detectionFor(project: Project, options: { strict?: boolean }): Promise<Detection> {
  const { loadDetection } = await import('../pipeline/load.ts');
  const detection = await loadDetection(project, options);
  for (const problem of detection.problems) console.error(`warning: ${problem.message}; disabled until fixed: ${problem.disables}`);
  return detection;
}
