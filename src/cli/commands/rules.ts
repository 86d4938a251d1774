import type { Command } from 'commander';
import { loadSchemas } from '../../classifier/schema.ts';
import { loadRules } from '../../rules/loader.ts';
import { formatRuleTestReport, runRuleTests } from '../../rules/testing.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';

/** `streamalert rules test [--rule NAME]`: runs the test events next to the rules. */
export function registerRules(program: Command): void {
  const rules = program.command('rules').description('work with detection rules');
  rules
    .command('test')
    .description('run the test events (rules/**/*.json) and check each fires exactly the rules it expects')
    .option('--rule <name>', 'only the events in <name>.json files or expecting <name> to fire')
    .addHelpText('after', '\nExamples:\n  $ streamalert rules test\n  $ streamalert rules test --rule cloudtrail_root_account_usage')
    .action(async (options: { rule?: string }, command: Command) => {
      const project = projectOf(command);
      const schemas = loadSchemas(project.dir);
      const loaded = await loadRules({ dir: project.dir, schemas, outputs: project.outputs });
      if (options.rule !== undefined && !loaded.some((rule) => rule.name === options.rule)) {
        throw new CliError(`no rule named '${options.rule}' (rules: ${loaded.map((rule) => rule.name).join(', ') || 'none'})`, EXIT.usage);
      }
      const report = runRuleTests({ dir: project.dir, schemas, outputs: project.outputs }, loaded, options.rule === undefined ? {} : { rule: options.rule });
      if (report.outcomes.length === 0 && report.malformed.length === 0) {
        const what = options.rule === undefined ? 'under rules/' : `for rule ${options.rule}`;
        throw new CliError(`no test events ${what}: add a JSON list of test events next to the rule (see docs/rules.md)`, EXIT.failed);
      }
      console.log(formatRuleTestReport(report));
      const bad = report.failed + report.malformed.length;
      if (bad > 0) throw new CliError(`${bad} rule test${bad === 1 ? '' : 's'} did not pass`, EXIT.failed);
    });
}
