import type { Command } from 'commander';
import { strictOption } from '../detection.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';
import { registerRulesCheck } from './rules-check.ts';
import { registerRulesStage } from './rules-stage.ts';

/** `streamalert rules test [--rule NAME] [--strict]`: runs the test events next to the rules. */
export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description('work with detection rules')
    .addHelpText('after', '\nExamples:\n  $ streamalert rules test\n  $ streamalert rules test --rule duo_fraud');
  rules
    .command('test')
    .description('run the test events (rules/**/*.json) and check each fires exactly the rules it expects; what does not load fails')
    .option('--rule <name>', "only the events expecting <name> to fire and those of its test file (<name>.json, or the .json beside the rule's file)")
    .addOption(strictOption())
    .addHelpText('after', '\nExamples:\n  $ streamalert rules test\n  $ streamalert rules test --rule cloudtrail_root_account_usage\n  $ streamalert rules test --strict    # in CI')
    .action(async (options: { rule?: string; strict?: boolean }, command: Command) => {
      const project = projectOf(command);
      const [{ loadDetection }, { formatRuleTestReport, runRuleTests }] = await Promise.all([import('../../pipeline/load.ts'), import('../../rules/testing.ts')]);
      const { schemas, rules: loaded, problems } = await loadDetection(project, { strict: options.strict });
      const names = new Set([...loaded.map((rule) => rule.name), ...problems.flatMap((problem) => (problem.kind === 'rule' && problem.name !== undefined ? [problem.name] : []))]);
      if (options.rule !== undefined && !names.has(options.rule)) {
        throw new CliError(`no rule named '${options.rule}' (rules: ${[...names].join(', ') || 'none'})`, EXIT.usage);
      }
      const report = runRuleTests({ dir: project.dir, schemas, outputs: project.outputs }, loaded, { problems, ...(options.rule !== undefined && { rule: options.rule }) });
      if (report.outcomes.length === 0 && report.malformed.length === 0 && report.problems.length === 0) {
        const what = options.rule === undefined ? 'under rules/' : `for rule ${options.rule}`;
        throw new CliError(`no test events ${what}: add a JSON list of test events next to the rule (see docs/rules.md)`, EXIT.failed);
      }
      for (const warning of report.warnings) console.error(`warning: ${warning}`);
      console.log(formatRuleTestReport(report));
      const bad = report.failed + report.malformed.length;
      const verdict = [
        ...(bad > 0 ? [`${bad} rule test${bad === 1 ? '' : 's'} did not pass`] : []),
        ...(report.problems.length > 0 ? [`${report.problems.length} load problem${report.problems.length === 1 ? '' : 's'} (see 'Did not load')`] : []),
      ];
      if (verdict.length > 0) throw new CliError(verdict.join('; '), EXIT.failed);
    });
  registerRulesCheck(rules);
  registerRulesStage(rules);
}
