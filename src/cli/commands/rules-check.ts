import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { resolveProjectDir } from '../../config/project.ts';
import { CODE_FOLDERS, formatTypeProblem, typeCheckProject } from '../../rules/typecheck.ts';
import { CliError, EXIT } from '../errors.ts';

/** Enough to fix in one sitting; a project that fails everywhere (a wrong tsconfig) would otherwise print thousands. */
const MAX_PRINTED_PROBLEMS = 100;

/** `streamalert rules check`: type-checks the project's TypeScript rules, matchers, publishers and outputs. */
export function registerRulesCheck(rules: Command): void {
  rules
    .command('check')
    .description("type-check the project's TypeScript rules, matchers, publishers and outputs against this package's API (with the project's tsconfig.json, if any)")
    .addHelpText('after', '\nExamples:\n  $ streamalert rules check\n  $ streamalert --project ~/detections rules check    # in CI, before rules test')
    .action(async (_options: unknown, command: Command) => {
      const dir = resolveProjectDir(command.optsWithGlobals<{ project?: string }>().project);
      if (!existsSync(join(dir, 'rules'))) {
        throw new CliError(`no rules/ folder in ${dir}: run this in a project folder ('streamalert init' writes one), or pass --project DIR`, EXIT.usage);
      }
      const { files, problems } = await typeCheckProject(dir);
      if (files.length === 0) {
        console.log(`No TypeScript files under ${CODE_FOLDERS.map((folder) => `${folder}/`).join(', ')}: nothing to check.`);
        return;
      }
      for (const problem of problems.slice(0, MAX_PRINTED_PROBLEMS)) console.log(formatTypeProblem(problem));
      if (problems.length > MAX_PRINTED_PROBLEMS) console.log(`... and ${problems.length - MAX_PRINTED_PROBLEMS} more`);
      if (problems.length === 0) {
        console.log(`${plural(files.length, 'file')} checked, no problems`);
        return;
      }
      throw new CliError(`${plural(problems.length, 'problem')} in ${plural(new Set(problems.map((problem) => problem.file)).size, 'file')}`, EXIT.failed);
    });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
