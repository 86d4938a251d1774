import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale } from './built-dist.ts';

const ROOT = join(import.meta.dirname, '..');
const COMPILED_BIN = join(ROOT, 'bin', 'streamalert.js');
const SOURCE_BIN = join(ROOT, 'bin', 'streamalert-from-source.js');
/** `--help` and `output list` within this many times a bare `node -e 0` (issue 11). */
export const TARGET_RATIO = 3;

export interface CliStartTiming {
  label: string;
  medianMs: number;
  /** medianMs over the median of `node -e 0`, measured in the same rounds. */
  ratio: number;
  /** Whether the target applies to it; the others are there for context. */
  targeted: boolean;
}

export interface CliStartResult {
  runs: number;
  /** Why dist/ was rebuilt first, if it was. */
  built?: string;
  timings: CliStartTiming[];
}

interface Command {
  label: string;
  args: string[];
  targeted: boolean;
}

/**
 * Times how long the CLI takes to start and answer, as a user's shell sees it: the wall time of
 * a spawned process (spawnSync), for the compiled package (what a user installs) next to a bare
 * `node -e 0`. `output list` and `rules test` run in a project that `init` made. Every command
 * runs once per round, the rounds interleaved, and each keeps its median: a busy machine then
 * slows all of them alike instead of skewing the ratios.
 */
export function runCliStartBench(runs = 15): CliStartResult {
  const built = buildIfStale();
  const home = mkdtempSync(join(tmpdir(), 'streamalert-bench-home-'));
  const project = mkdtempSync(join(tmpdir(), 'streamalert-bench-project-'));
  // No key files, config or AWS settings of the user running the bench are read or written.
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  try {
    run([COMPILED_BIN, 'init'], project, env);
    const commands: Command[] = [
      { label: 'node -e 0', args: ['-e', '0'], targeted: false },
      { label: 'streamalert --help', args: [COMPILED_BIN, '--help'], targeted: true },
      { label: 'streamalert output list', args: [COMPILED_BIN, 'output', 'list'], targeted: true },
      { label: 'streamalert --version', args: [COMPILED_BIN, '--version'], targeted: false },
      { label: 'streamalert rules test (quickstart rules)', args: [COMPILED_BIN, 'rules', 'test'], targeted: false },
      { label: 'streamalert --help, from the sources', args: [SOURCE_BIN, '--help'], targeted: false },
    ];
    // One round unmeasured: the first start of each reads its files from disk.
    for (const command of commands) run(command.args, project, env);
    const samples = commands.map(() => [] as number[]);
    for (let round = 0; round < runs; round++) {
      commands.forEach((command, i) => samples[i]!.push(run(command.args, project, env)));
    }
    const medians = samples.map(median);
    const bare = medians[0]!;
    const timings = commands.map((command, i) => ({ label: command.label, medianMs: medians[i]!, ratio: medians[i]! / bare, targeted: command.targeted }));
    return { runs, ...(built ? { built } : {}), timings };
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  }
}

/** Runs node with args to completion; returns its wall time in ms, failing on a non-zero exit. */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsedMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`bench: node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsedMs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Prints a result the way bench/index.ts shows every benchmark. */
export function printCliStartBench(result: CliStartResult): void {
  console.log(`CLI start, median of ${result.runs} runs (wall time of a spawned process), compiled dist/${result.built ? ` (built first: ${result.built})` : ''}`);
  const width = Math.max(...result.timings.map((timing) => timing.label.length));
  for (const timing of result.timings) {
    const target = timing.targeted ? `  (target <= ${TARGET_RATIO}x: ${timing.ratio <= TARGET_RATIO ? 'met' : 'not met'})` : '';
    console.log(`  ${timing.label.padEnd(width)}  ${timing.medianMs.toFixed(0).padStart(5)} ms  ${timing.ratio.toFixed(1).padStart(4)}x${target}`);
  }
}
