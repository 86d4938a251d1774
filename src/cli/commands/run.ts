import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../input/errors.ts';
import type { InputRecord } from '../../input/reader.ts';
import { addSuppressed } from '../../store/alert-store.ts';
import { StoreError } from '../../store/errors.ts';
import { detectionFor, strictOption } from '../detection.ts';
import { CliError, EXIT, QuietExit } from '../errors.ts';
import { progressBar, progressLine } from '../progress.ts';
import { projectOf } from '../project.ts';
import { interruptedMessage, waitForRetries, type RetryWaitEnd } from '../retry-wait.ts';
import { deliverySummary, formatRunSummary, runSummaryJson, isComplete, runErrors, type RunSummary } from '../run-summary.ts';

interface RunOptions {
  input: string[];
  logType?: string;
  maxWait: string;
  json?: boolean;
  strict?: boolean;
  allowErrors?: boolean;
}

/** `streamalert run --input FILE|-`: records -> classifier -> rules -> alert store -> outputs, then a summary. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('classify records, run the rules, store and deliver the alerts, then print a summary')
    .requiredOption('--input <files...>', "NDJSON, JSON arrays or CloudTrail-style files ('.gz' too), read in order; '-' for stdin")
    .option('--log-type <type>', "only try this log type, or every type of a source (e.g. 'cloudtrail')")
    .option('--max-wait <seconds>', 'stop waiting for retries after this long; what is left stays stored', '300')
    .option('--json', 'print the summary as JSON')
    .addOption(strictOption())
    .option('--allow-errors', 'exit 0 despite rule errors, unreadable records and rules that did not load (deliveries must still complete)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ streamalert run --input samples/cloudtrail.json --log-type cloudtrail\n  $ zcat logs.ndjson.gz | streamalert run --input -\n  $ streamalert run --strict --input samples/*    # in CI: refuse to run with a broken rule',
    )
    .action(async (options: RunOptions, command: Command) => {
      const started = Date.now();
      const project = projectOf(command);
      const missing = options.input.filter((input) => input !== '-' && !existsSync(input));
      if (missing.length > 0) throw new CliError(`input not found: ${missing.join(', ')} (use '-' to read standard input)`);
      const maxWaitMs = Number(options.maxWait) * 1000;
      if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new CliError(`--max-wait takes a number of seconds (got '${options.maxWait}')`);

      const [{ openInput, readRecordBatches }, { Pipeline }, { alertSource }, { openDeliverySession }] = await Promise.all([
        import('../../input/reader.ts'),
        import('../../pipeline/pipeline.ts'),
        import('../../pipeline/source.ts'),
        import('../../delivery/session.ts'),
      ]);
      const detection = await detectionFor(project, options);
      const pipeline = new Pipeline({ ...detection, outputs: project.outputs, ...(options.logType !== undefined && { logType: options.logType }) });
      const session = await openDeliverySession(project);
      const progress = progressLine();
      let summary: RunSummary;
      const unreadInputs: string[] = [];
      // A store that fails mid-run ends the run with the summary, then the error; what was stored stays stored.
      let storeFailure: StoreError | undefined;
      let retryWait: RetryWaitEnd = 'drained';
      const suppressed: RunSummary['suppressed'] = {};
      try {
        try {
          // Pending deliveries of earlier runs (a crash, a deadline) resume alongside the new ones.
          await session.engine.pump();
          for (const input of options.input) {
            const stream = openInput(input);
            pipeline.input = options.input.length > 1 ? (input === '-' ? 'standard input' : input) : undefined;
            pipeline.source = alertSource('file', input === '-' ? 'stdin' : input);
            // A file's size gives a bar; standard input only counts.
            const size = input === '-' ? 0 : statSync(input).size;
            const position = () => (size > 0 && 'bytesRead' in stream ? `${progressBar(Number(stream.bytesRead), size)} ` : '');
            for await (const batch of batchesOf(readRecordBatches(stream, { ...project.global.input, source: input === '-' ? 'standard input' : input, textLines: pipeline.classifier.readsText }), unreadInputs)) {
              await pipeline.prepare(batch);
              const alerts = pipeline.processBatch(batch);
              // Stored before any output is tried: from here on a crash loses nothing.
              if (alerts.length > 0) addSuppressed(suppressed, await session.store.save(alerts));
              await session.engine.pump();
              progress.update(() => `${basename(input)} ${position()}records ${pipeline.stats.read.toLocaleString('en-US')}, alerts ${pipeline.stats.alerts.toLocaleString('en-US')}`);
            }
          }
          retryWait = await waitForRetries(session, started + maxWaitMs, progress);
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          storeFailure = error;
        }
        summary = {
          input: options.input.map((input) => (input === '-' ? 'standard input' : input)).join(', '),
          stats: pipeline.stats,
          disabled: pipeline.problems,
          deliveries: await deliverySummary(session),
          suppressed,
          openMerges: await session.store.openMerges(),
          seconds: (Date.now() - started) / 1000,
        };
      } finally {
        progress.done();
        await session.close();
      }
      console.log(options.json ? JSON.stringify(runSummaryJson(summary), null, 2) : formatRunSummary(summary, options));
      for (const problem of unreadInputs) console.error(`error: ${problem}`);
      if (storeFailure) throw storeFailure;
      if (retryWait === 'interrupted') throw new CliError(interruptedMessage(summary.deliveries), EXIT.cancelled);
      // Alerts held in open merge windows have not reached their outputs yet.
      const failed = !isComplete(summary.deliveries) || (summary.openMerges?.count ?? 0) > 0 || unreadInputs.length > 0 || (runErrors(summary).length > 0 && !options.allowErrors);
      if (failed) throw new QuietExit(EXIT.failed);
    });
}

/**
 * The record batches of one input (from readRecordBatches). An input that cannot be read on (a truncated gzip file,
 * binary data) ends with its InputError's line in `unread`, not with the run: the records
 * before the break are stored and delivered, the summary is printed, and the run exits 1.
 */
async function* batchesOf(batches: AsyncIterable<InputRecord[]>, unread: string[]): AsyncGenerator<InputRecord[]> {
  try {
    yield* batches;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    unread.push(error.message);
  }
}
