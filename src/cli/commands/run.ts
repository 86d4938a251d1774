import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Dispatcher } from '../../delivery/dispatcher.ts';
import { deliveryPolicyOf } from '../../delivery/policy.ts';
import { openInput, readRecordBatches } from '../../input/reader.ts';
import { createOutputContext } from '../../outputs/context.ts';
import { Pipeline } from '../../pipeline/pipeline.ts';
import { publish } from '../../publishers/publish.ts';
import { CachedCredentials } from '../../secrets/cache.ts';
import { credentialStoreOf } from '../credentials.ts';
import { CliError, EXIT, QuietExit } from '../errors.ts';
import { progressLine } from '../progress.ts';
import { projectOf } from '../project.ts';
import { formatRunSummary, type RunSummary } from '../run-summary.ts';

interface RunOptions {
  input: string[];
  logType?: string;
  maxWait: string;
  json?: boolean;
}

/** `streamalert run --input FILE|-`: records -> classifier -> rules -> alerts -> outputs, then a summary. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('classify records, run the rules, deliver the alerts, then print a summary')
    .requiredOption('--input <files...>', "NDJSON, JSON arrays or CloudTrail-style files ('.gz' too), read in order; '-' for stdin")
    .option('--log-type <type>', "only try this log type, or every type of a source (e.g. 'cloudtrail')")
    .option('--max-wait <seconds>', 'stop retrying deliveries after this long', '300')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExamples:\n  $ streamalert run --input samples/cloudtrail.json --log-type cloudtrail\n  $ zcat logs.ndjson.gz | streamalert run --input -')
    .action(async (options: RunOptions, command: Command) => {
      const started = Date.now();
      const project = projectOf(command);
      const missing = options.input.filter((input) => input !== '-' && !existsSync(input));
      if (missing.length > 0) throw new CliError(`input not found: ${missing.join(', ')} (use '-' to read standard input)`);
      const policy = deliveryPolicyOf(project.global.delivery);
      const pipeline = await Pipeline.load(project, options.logType === undefined ? {} : { logType: options.logType });
      const context = createOutputContext({ timeoutMs: policy.timeoutMs, region: project.global.account.region, projectDir: project.dir });
      const dispatcher = new Dispatcher(project, new CachedCredentials(credentialStoreOf(project)), context, {
        policy,
        publish,
        deadline: started + Number(options.maxWait) * 1000,
      });
      const progress = progressLine();

      try {
        for (const input of options.input) {
          for await (const batch of readRecordBatches(openInput(input))) {
            for (const item of batch) {
              for (const alert of pipeline.processInput(item)) await dispatcher.submit(alert);
            }
            progress.update(() => `records ${pipeline.stats.read.toLocaleString('en-US')}, alerts ${pipeline.stats.alerts.toLocaleString('en-US')}`);
          }
        }
        await dispatcher.drain();
      } finally {
        progress.done();
        await context.close();
      }

      const summary: RunSummary = {
        input: options.input.map((input) => (input === '-' ? 'standard input' : input)).join(', '),
        stats: pipeline.stats,
        deliveries: Object.fromEntries(dispatcher.tallies),
        seconds: (Date.now() - started) / 1000,
      };
      console.log(options.json ? JSON.stringify(summary, null, 2) : formatRunSummary(summary));
      const undelivered = [...dispatcher.tallies.values()].some((tally) => tally.pending > 0 || tally.failed > 0);
      if (undelivered) throw new QuietExit(EXIT.failed);
    });
}
