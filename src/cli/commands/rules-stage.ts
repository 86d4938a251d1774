import type { Command } from 'commander';
import { nearest } from '../../config/nearest.ts';
import type { Project } from '../../config/project.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';

/**
 * `streamalert rules stage NAME` and `rules promote NAME` (StreamAlert 3's rule staging): a staged
 * rule's alerts carry `staged: true` and go only to conf/global.json `staging.outputs`; promoted,
 * they go to the rule's own outputs. Both write nothing but conf/rule_staging.json.
 */
export function registerRulesStage(rules: Command): void {
  for (const [verb, staged] of [
    ['stage', true],
    ['promote', false],
  ] as const) {
    rules
      .command(`${verb} <name>`)
      .description(
        staged
          ? "stage a rule: its alerts are flagged staged and go only to conf/global.json staging.outputs (none: stored, not sent); writes only conf/rule_staging.json"
          : "promote a staged rule: its alerts go to its own outputs; writes only conf/rule_staging.json",
      )
      .addHelpText('after', `\nExamples:\n  $ streamalert rules ${verb} duo_new_login\n  $ streamalert alerts list --rule duo_new_login    # what it raised while staged`)
      .action(async (name: string, _options: unknown, command: Command) => {
        const project = projectOf(command);
        const [{ loadDetection }, { readStagingState, recordStaging, STAGING_FILE }] = await Promise.all([import('../../pipeline/load.ts'), import('../../rules/staging.ts')]);
        const current = await stagedNow(project, name, loadDetection);
        const where = staged ? stagedDestination(project, name) : 'to its own outputs';
        if (current === staged) {
          const why = Object.hasOwn(readStagingState(project.dir).rules, name) ? `in ${STAGING_FILE}` : `by its 'staged' option`;
          console.log(`Rule ${name} is already ${staged ? 'staged' : 'promoted'} (${why}): its alerts go ${where}. Nothing changed.`);
          return;
        }
        recordStaging(project.dir, name, staged, new Date());
        console.log(`Rule ${name} ${staged ? 'staged' : 'promoted'} in ${STAGING_FILE}: its alerts go ${where}, from the next start of run or serve.`);
      });
  }
}

/** Whether the rule is staged now; a name that is no rule is a usage error naming the nearest. */
async function stagedNow(project: Project, name: string, loadDetection: typeof import('../../pipeline/load.ts').loadDetection): Promise<boolean | undefined> {
  const { rules, problems } = await loadDetection(project);
  const loaded = rules.find((rule) => rule.name === name);
  if (loaded !== undefined) return loaded.staging !== undefined;
  // A rule that did not load can still be staged ahead of its fix: its state is only its name.
  if (problems.some((problem) => problem.kind === 'rule' && problem.name === name)) return undefined;
  const names = rules.map((rule) => rule.name);
  const guess = nearest(name, names);
  throw new CliError(`no rule named '${name}'; ${guess ? `did you mean '${guess}'?` : `rules: ${names.join(', ') || 'none'}`}`, EXIT.usage);
}

function stagedDestination(project: Project, name: string): string {
  const outputs = project.global.staging.outputs;
  if (outputs.length > 0) return `only to conf/global.json staging.outputs (${outputs.join(', ')})`;
  return `nowhere: conf/global.json has no staging.outputs, so they are stored, not sent (see them with 'streamalert alerts list --rule ${name}')`;
}
