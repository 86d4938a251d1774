import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveProjectDir } from '../../config/project.ts';
import { CheckoutError, importStreamAlert, serviceShapes } from '../../migrate/import.ts';
import { loadServices } from '../../outputs/registry.ts';
import type { ImportReport } from '../../migrate/report.ts';
import { CliError, EXIT } from '../errors.ts';
// The built-in services' declarations, which loadServices imports.
import '../../outputs/builtin.ts';

const OUTPUT_NAME = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9._-]+$/;

/** `streamalert import-streamalert DIR`: a StreamAlert checkout's conf/, test events and rule skeletons, into this project. */
export function registerImportStreamAlert(program: Command): void {
  program
    .command('import-streamalert')
    .argument('<dir>', 'the root of a StreamAlert checkout (with conf/ and rules/)')
    .description(
      "copy a StreamAlert checkout's conf/ (schemas, outputs.json, normalized_types.json, lookup_tables.json, threat_intel.json) and test events into this project, " +
        'write a TypeScript skeleton beside each Python rule and matcher (options carried, logic kept as a comment), and list what has no place here. Never overwrites a file; never runs the Python',
    )
    .option('--default-output <output...>', "outputs (service:descriptor) for rules that name none; StreamAlert sent those only to its required aws-firehose:alerts")
    .addHelpText('after', '\nExamples:\n  $ streamalert import-streamalert ~/src/streamalert\n  $ streamalert --project ~/detections import-streamalert ../streamalert --default-output slack:sec-alerts\n\nExit: 0 imported, 1 a rule or file could not be read (the rest is imported), 2 DIR is not a StreamAlert checkout. See docs/migrating-from-streamalert.md')
    .action(async (dir: string, options: { defaultOutput?: string[] }, command: Command) => {
      const projectDir = resolveProjectDir(command.optsWithGlobals<{ project?: string }>().project);
      const defaultOutputs = options.defaultOutput ?? [];
      const bad = defaultOutputs.find((output) => !OUTPUT_NAME.test(output));
      if (bad !== undefined) throw new CliError(`--default-output '${bad}' is not an output name: service:descriptor, e.g. slack:sec-alerts`, EXIT.usage);
      await loadServices();
      let report: ImportReport;
      try {
        report = importStreamAlert(resolve(dir), projectDir, { defaultOutputs, services: serviceShapes() });
      } catch (error) {
        if (error instanceof CheckoutError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      printReport(resolve(dir), projectDir, report);
      if (report.unparsed.length > 0) throw new CliError(`${report.unparsed.length} ${report.unparsed.length === 1 ? 'rule or file' : 'rules or files'} could not be read (listed above); everything else was imported`, EXIT.failed);
    });
}

function printReport(checkout: string, projectDir: string, report: ImportReport): void {
  const skeletons = report.written.filter((path) => path.endsWith('.ts'));
  const tests = report.copied.filter((path) => path.endsWith('.json') && !path.startsWith('conf/'));
  const conf = [...report.copied, ...report.written].filter((path) => path.startsWith('conf/'));
  console.log(`Imported ${checkout} into ${projectDir}:`);
  console.log(`  conf/: ${plural(conf.length, 'file')} (${conf.map((path) => path.slice('conf/'.length)).join(', ') || 'none'})`);
  console.log(`  ${plural(skeletons.filter((path) => path.startsWith('rules/')).length, 'rule file')} and ${plural(skeletons.filter((path) => path.startsWith('matchers/')).length, 'matcher file')} written as TypeScript skeletons (their logic is still to port: each returns false)`);
  console.log(`  ${plural(tests.length, 'test event file')} copied unchanged`);
  section(`Kept ${plural(report.kept.length, 'existing file')} unchanged (import never overwrites):`, report.kept);
  section('Not carried over (what to do instead):', report.notCarried);
  if (report.withoutOutputs.length > 0) {
    section(
      `${plural(report.withoutOutputs.length, 'rule')} name no outputs (StreamAlert sent them only to its required aws-firehose:alerts); they do not load until they have one: name outputs in them, or import again with --default-output SERVICE:DESCRIPTOR:`,
      [report.withoutOutputs.join(', ')],
    );
  }
  section('To port by hand:', report.toPort);
  section('Could not be read (nothing written for these):', report.unparsed);
  section('The project as imported:', report.projectProblems);
  console.log('\nNext:\n  streamalert rules check    # the skeletons type-check\n  streamalert rules test     # the test events run; a rule still returning false fails the events expecting it\n  then port each rule\'s Python (docs/migrating-from-streamalert.md)');
}

function section(title: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  console.log(`\n${title}`);
  for (const line of lines) console.log(`  ${line}`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
