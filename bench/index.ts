// `npm run bench`: every benchmark, each printing rates measured in this one run and their ratio.
// Sizes: BENCH_ALERTS (Slack delivery, default 20,000), BENCH_RECORDS (classify, default 100,000),
// BENCH_DURABLE_RECORDS (durable run, default 20,000), BENCH_SERVE_ALERTS (durable serve, default 5,000),
// BENCH_CLI_RUNS (CLI start, default 15 starts of each command), BENCH_COLD_STARTS (Lambda cold
// start, default 9 fresh processes per handler and build; needs moto_server, skipped without it).
import { join } from 'node:path';
import { printClassifyBench, runClassifyBench } from './classify.ts';
import { printCliStartBench, runCliStartBench } from './cli-start.ts';
import { printDurableRunBench, printDurableServeBench, runDurableRunBench, runDurableServeBench } from './durable.ts';
import { MotoUnavailableError, printLambdaColdStartBench, runLambdaColdStartBench } from './lambda-cold-start.ts';
import { printSlackBench, runSlackBench } from './slack.ts';

printCliStartBench(runCliStartBench(Number(process.env.BENCH_CLI_RUNS ?? 15)));
console.log();
printSlackBench(await runSlackBench(Number(process.env.BENCH_ALERTS ?? 20_000)));
console.log();
printClassifyBench(await runClassifyBench(Number(process.env.BENCH_RECORDS ?? 100_000)));
console.log();
printDurableRunBench(await runDurableRunBench(Number(process.env.BENCH_DURABLE_RECORDS ?? 20_000)));
console.log();
printDurableServeBench(await runDurableServeBench(Number(process.env.BENCH_SERVE_ALERTS ?? 5_000)));
console.log();
// Last: it points this process's AWS SDK at the moto_server it starts.
try {
  // The compiled handlers (bin/lambda.js runs dist/, rebuilt first when stale) are the baseline.
  printLambdaColdStartBench(await runLambdaColdStartBench(Number(process.env.BENCH_COLD_STARTS ?? 9), join(import.meta.dirname, '..', 'bin', 'lambda.js')));
} catch (error) {
  if (!(error instanceof MotoUnavailableError)) throw error;
  console.log(`Lambda cold start: skipped, ${error.message}`);
}
