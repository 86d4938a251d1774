import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler, type HandlerName } from '../src/lambda/bundle.ts';
import { DynamoDbAlertStore } from '../src/store/dynamodb.ts';
import { buildIfStale } from './built-dist.ts';

const ROOT = join(import.meta.dirname, '..');
const QUICKSTART = join(ROOT, 'examples', 'quickstart');

export interface ColdStart {
  label: string;
  /** Median over the runs: the module's import (the function's init), and its first invocation. */
  importMs: number;
  firstInvocationMs: number;
  /** Spawn to exit of the fresh Node process, Node's own start included. */
  processMs: number;
  bytes?: number;
}

export interface LambdaColdStartResult {
  runs: number;
  /** Why dist/ was rebuilt first, if it was. */
  built?: string;
  starts: ColdStart[];
  /** The rules engine, warm, on a 1,000-record Kinesis batch: records per second. */
  kinesisRecordsPerSecond: number;
}

/**
 * Cold start of the Lambda functions (issue 15): each in a fresh Node process, the time to
 * import the module and to get its first invocation's result, bundled (src/lambda/bundle.ts,
 * one file, the rules compiled in) against the compiled package (`distHandlers`, rules compiled
 * by tsx on load). The alerts table is a DynamoDB table in a moto_server this starts.
 */
export async function runLambdaColdStartBench(runs: number, distHandlers: string): Promise<LambdaColdStartResult> {
  const work = mkdtempSync(join(tmpdir(), 'streamalert-cold-start-'));
  const port = await freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  // Not installed: the spawn fails (ENOENT) as an 'error' event, which would otherwise end the process.
  try {
    await new Promise<void>((resolve, reject) => {
      moto.once('spawn', resolve);
      moto.once('error', reject);
    });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new MotoUnavailableError(`moto_server could not be started (${(error as Error).message}); install it: pip install 'moto[server]'`, { cause: error });
  }
  const env = { ...process.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  Object.assign(process.env, env);
  try {
    await waitForMoto(env.AWS_ENDPOINT_URL);
    // The compiled handlers are the baseline: dist/ as src/ is now.
    const built = buildIfStale();
    const projectDir = benchProject(work);
    await new DynamoDbAlertStore('coldstart_streamalert_alerts', 'us-east-1').ensureTable();
    const childEnv = { ...env, STREAMALERT_PROJECT: projectDir, HOME: work, XDG_CONFIG_HOME: work };
    const starts: ColdStart[] = [];
    const handlers: HandlerName[] = ['rulesEngine', 'alertProcessor', 'alertStreamProcessor'];
    for (const handler of handlers) {
      const bundle = await bundleHandler({ projectDir, handler, outfile: join(work, 'functions', handler, 'index.mjs') });
      // Alternated run by run, so that the load of a busy machine falls on both alike.
      const bundled: Timing[] = [];
      const compiled: Timing[] = [];
      for (let run = 0; run < runs; run++) {
        bundled.push(invoke(bundle.outfile, handler, childEnv, false));
        compiled.push(invoke(distHandlers, handler, childEnv, false));
      }
      starts.push({ ...summary(`${handler}, bundled`, bundled), bytes: bundle.bytes }, summary(`${handler}, compiled dist/`, compiled));
    }
    const warm = invoke(join(work, 'functions', 'rulesEngine', 'index.mjs'), 'rulesEngine', childEnv, true);
    return { runs, ...(built ? { built } : {}), starts, kinesisRecordsPerSecond: Math.round(1000 / (warm.batchMs! / 1000)) };
  } finally {
    moto.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

/** moto_server is not installed (or does not start): the bench cannot run here. */
export class MotoUnavailableError extends Error {
  override name = 'MotoUnavailableError';
}

export function printLambdaColdStartBench(result: LambdaColdStartResult): void {
  console.log(`Lambda cold start (median of ${result.runs} fresh Node processes each; import = init, then the first invocation's result)${result.built ? ` (dist/ built first: ${result.built})` : ''}:`);
  for (const start of result.starts) {
    const size = start.bytes === undefined ? '' : `, ${(start.bytes / 1024 / 1024).toFixed(2)} MiB`;
    console.log(`  ${start.label.padEnd(40)} import ${start.importMs.toFixed(0).padStart(5)} ms, first invocation ${start.firstInvocationMs.toFixed(0).padStart(5)} ms, process ${start.processMs.toFixed(0).padStart(5)} ms${size}`);
  }
  // Bundled against dist/ for each handler, both measured in this run, alternated.
  for (let i = 0; i + 1 < result.starts.length; i += 2) {
    const [bundled, compiled] = [result.starts[i]!, result.starts[i + 1]!];
    const handler = bundled.label.split(',')[0]!;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`  ${handler.padEnd(22)} bundled / dist/: import + first invocation ${ratio(bundled.importMs + bundled.firstInvocationMs, compiled.importMs + compiled.firstInvocationMs)}, whole process ${ratio(bundled.processMs, compiled.processMs)}`);
  }
  console.log(`  rules engine, warm, 1,000-record Kinesis batch: ${result.kinesisRecordsPerSecond.toLocaleString('en-US')} records/s`);
}

/** A copy of the quickstart project with the DynamoDB store. */
function benchProject(work: string): string {
  const dir = join(work, 'project');
  for (const folder of ['conf', 'rules']) cpSync(join(QUICKSTART, folder), join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'conf', 'global.json'), JSON.stringify({ account: { prefix: 'coldstart', region: 'us-east-1' }, store: { backend: 'dynamodb' } }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  // `import ... from 'streamalert'` in the compiled package's case, as `npm install streamalert` gives.
  symlinkSync(ROOT, join(dir, 'node_modules', 'streamalert'), 'dir');
  return dir;
}

function summary(label: string, timings: readonly Timing[]): ColdStart {
  return {
    label,
    importMs: median(timings.map((t) => t.importMs)),
    firstInvocationMs: median(timings.map((t) => t.firstMs)),
    processMs: median(timings.map((t) => t.processMs)),
  };
}

interface Timing {
  importMs: number;
  firstMs: number;
  processMs: number;
  batchMs?: number;
}

/** One fresh process: import the module, invoke the handler once (and, with `batch`, once more with 1,000 Kinesis records). */
function invoke(module: string, handler: HandlerName, env: NodeJS.ProcessEnv, batch: boolean): Timing {
  const script = `
    const root = (n) => JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: 'e' + n, eventTime: '2026-11-28T00:00:00Z', eventType: 'AwsConsoleSignIn', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.1', userAgent: 'bench', recipientAccountId: '123456789012', requestParameters: null, responseElements: null, userIdentity: { type: n === 0 ? 'Root' : 'IAMUser' } }] });
    const kinesis = (count) => ({ Records: Array.from({ length: count }, (_, n) => ({ eventSource: 'aws:kinesis', eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/bench', kinesis: { sequenceNumber: String(n), partitionKey: 'p', data: Buffer.from(root(n)).toString('base64') } })) });
    const events = { rulesEngine: kinesis(10), alertProcessor: { source: 'aws.events', 'detail-type': 'Scheduled Event' }, alertStreamProcessor: { Records: [{ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys: { alert_id: { S: 'no-such-alert' }, output: { S: '#alert' } } } }] } };
    const context = { getRemainingTimeInMillis: () => 60000 };
    const t0 = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(module).href)});
    const t1 = performance.now();
    const result = await m.${handler}(events.${handler}, context);
    const t2 = performance.now();
    // The rules ran (compiled in, or by tsx): the one root login of the first batch raised its alert.
    if (${JSON.stringify(handler)} === 'rulesEngine' && result.alerts !== 1) throw new Error('the rules did not run: ' + JSON.stringify(result));
    let batchMs;
    if (${batch}) { const b0 = performance.now(); await m.${handler}(kinesis(1000), context); batchMs = performance.now() - b0; }
    console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, batchMs }));
  `;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', cwd: tmpdir() });
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${module} ${handler} failed:\n${run.stderr}`);
  const line = run.stdout.trim().split('\n').at(-1)!;
  return { ...(JSON.parse(line) as Omit<Timing, 'processMs'>), processMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForMoto(endpoint: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (await fetch(`${endpoint}/moto-api/`).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint}`);
}
