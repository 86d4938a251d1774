import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { createAlert, toAlertDocument } from '../src/alerts/alert.ts';
import { buildSlackMessages } from '../src/outputs/slack/message.ts';
import { buildIfStale } from './built-dist.ts';

const ROOT = join(import.meta.dirname, '..');
const WEBHOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
/** Carried in each record (and so in its Slack message): the receiver matches deliveries to POSTs by it. */
const MARKER = 'durable-bench-';
/** delivery.perOutputConcurrency's default: the engine keeps at most this many requests in flight to the one output. */
const IN_FLIGHT = 16;
/** Node options for the CLI's processes, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile them. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The CLI the benches run: the compiled package as a user runs it, or the sources when dist/ cannot be built. */
interface Cli {
  bin: string;
  /** Which it is, and why, for the printout. */
  label: string;
}

export interface DurableRunResult {
  records: number;
  rounds: number;
  cli: string;
  /** Alerts stored and delivered per second, over the run command's own time (its summary's `seconds`). */
  runPerSecond: number;
  /** The same, over the child's whole life: CLI start and rule loading included. */
  runWallPerSecond: number;
  bareLoopPerSecond: number;
  ratio: number;
  /** The receiver's CPU time over the wall time, during the bare loop and during `run`: near 1 it would be the bottleneck. */
  receiverBusyBare: number;
  receiverBusyRun: number;
}

export interface DurableServeResult {
  cli: string;
  alerts: number;
  offeredPerSecond: number;
  recordsPerPost: number;
  achievedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The durable path end to end, with the real CLI in a child process (as a user runs it):
 * `run` on an NDJSON file of `records` records, each raising one alert that is stored in
 * .streamalert/alerts.db and delivered to a Slack output whose webhook is a loopback receiver
 * in its own process. Compared with a bare undici Pool loop sending as many Slack-shaped
 * POSTs to the same receiver with the same requests in flight, rounds alternating, medians kept.
 */
export async function runDurableRunBench(records = 20_000, rounds = 3): Promise<DurableRunResult> {
  const cli = compiledCli();
  // Without marks: the run's summary counts its deliveries, and noting each body's marker costs
  // the receiver about a quarter more per request (it stays far from a whole core either way:
  // the printout gives its share, about 40% during the bare loop on the development machine).
  const receiver = await startReceiver(false);
  let bench: BenchProject | undefined;
  try {
    bench = makeProject(cli, receiver.origin);
    const input = join(bench.dir, 'records.ndjson');
    writeFileSync(input, Array.from({ length: records }, (_, i) => JSON.stringify(benchRecord(i))).join('\n') + '\n');
    const bodies = Array.from({ length: records }, (_, i) => slackBody(i));
    const pool = new Pool(receiver.origin, { connections: IN_FLIGHT });
    const bare = async (body: string) => {
      const response = await pool.request({ method: 'POST', path: WEBHOOK_PATH, body, headers: { 'content-type': 'application/json' } });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`bare loop got HTTP ${response.statusCode}`);
    };
    await runPool(bodies.slice(0, 1000), IN_FLIGHT, bare);

    const runSeconds: number[] = [];
    const wallSeconds: number[] = [];
    const bareSeconds: number[] = [];
    const busyBare: number[] = [];
    const busyRun: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Each round starts from an empty alert store, as a first run would.
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(bench.dir, '.streamalert', `alerts.db${suffix}`), { force: true });
      const runCpu = await receiver.cpuMicros();
      const started = performance.now();
      const summary = await runCli(cli, bench, ['run', '--input', input, '--json']);
      const runWall = performance.now() - started;
      busyRun.push(((await receiver.cpuMicros()) - runCpu) / (1000 * runWall));
      wallSeconds.push(runWall / 1000);
      const delivered = summary.deliveries?.['slack:bench']?.delivered;
      if (delivered !== records) throw new Error(`run delivered ${delivered} of ${records} alerts: ${JSON.stringify(summary)}`);
      runSeconds.push(summary.seconds);
      const bareCpu = await receiver.cpuMicros();
      const seconds = await timed(() => runPool(bodies, IN_FLIGHT, bare));
      busyBare.push(((await receiver.cpuMicros()) - bareCpu) / (1e6 * seconds));
      bareSeconds.push(seconds);
    }
    await pool.close();
    const runPerSecond = records / median(runSeconds);
    const bareLoopPerSecond = records / median(bareSeconds);
    return {
      records,
      rounds,
      cli: cli.label,
      runPerSecond,
      runWallPerSecond: records / median(wallSeconds),
      bareLoopPerSecond,
      ratio: runPerSecond / bareLoopPerSecond,
      receiverBusyBare: median(busyBare),
      receiverBusyRun: median(busyRun),
    };
  } finally {
    bench?.remove();
    receiver.stop();
  }
}

/**
 * `serve` as a log shipper feeds it: `alerts` records POSTed to /v1/records, `recordsPerPost`
 * at a time, at a fixed offered load (alerts/s), each record raising one alert. The rate
 * achieved runs from the first POST to the last message the receiver saw; the latency of each
 * alert from the moment its POST was sent to the moment the receiver saw its message.
 */
export async function runDurableServeBench(alerts = 5_000, offeredPerSecond = 1_000, recordsPerPost = 10): Promise<DurableServeResult> {
  const cli = compiledCli();
  const receiver = await startReceiver(true);
  let bench: BenchProject | undefined;
  let serve: RunningServe | undefined;
  try {
    bench = makeProject(cli, receiver.origin);
    serve = await startServe(cli, bench);
    const pool = new Pool(serve.base, { connections: 8 });
    const sentAt = new Map<string, number>();
    const posts = Math.ceil(alerts / recordsPerPost);
    const intervalMs = (1000 * recordsPerPost) / offeredPerSecond;
    const requests: Promise<void>[] = [];
    const start = performance.timeOrigin + performance.now();
    for (let post = 0; post < posts; post++) {
      // Paced against the schedule, not the previous send: a late tick does not slow the offered load.
      const due = start + post * intervalMs;
      const wait = due - (performance.timeOrigin + performance.now());
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const first = post * recordsPerPost;
      const batch = Array.from({ length: Math.min(recordsPerPost, alerts - first) }, (_, i) => benchRecord(first + i));
      const now = performance.timeOrigin + performance.now();
      for (const record of batch) sentAt.set(record.trace, now);
      requests.push(
        pool
          .request({ method: 'POST', path: '/v1/records?log_type=bench', body: batch.map((record) => JSON.stringify(record)).join('\n'), headers: { 'content-type': 'application/x-ndjson' } })
          .then(async (response) => {
            const text = await response.body.text();
            if (response.statusCode !== 202) throw new Error(`serve answered ${response.statusCode}: ${text}`);
          }),
      );
    }
    await Promise.all(requests);
    const seen = new Map<string, number>();
    const deadline = Date.now() + 120_000;
    while (seen.size < alerts) {
      if (Date.now() > deadline) throw new Error(`serve delivered ${seen.size} of ${alerts} alerts within 2 minutes`);
      for (const [marker, at] of await receiver.report()) if (!seen.has(marker)) seen.set(marker, at);
      if (seen.size < alerts) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await pool.close();
    const latencies = [...seen].map(([marker, at]) => at - sentAt.get(marker)!).sort((a, b) => a - b);
    const last = Math.max(...seen.values());
    const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))]!;
    return { cli: cli.label, alerts, offeredPerSecond, recordsPerPost, achievedPerSecond: alerts / ((last - start) / 1000), p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies.at(-1)! };
  } finally {
    await serve?.stop();
    bench?.remove();
    receiver.stop();
  }
}

interface BenchProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A project in a temporary folder: one schema, one rule raising an alert for every record, one Slack output to the receiver. */
function makeProject(cli: Cli, origin: string): BenchProject {
  const dir = mkdtempSync(join(tmpdir(), 'streamalert-bench-'));
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }\n',
    'conf/global.json': JSON.stringify({ account: { prefix: 'bench', region: 'us-east-1' } }),
    'conf/outputs.json': '{}',
    // Slack declares about one message a second per webhook, which the engine keeps to; the bench
    // measures what the engine can deliver, so the limit is lifted for its loopback receiver.
    'conf/output_settings.json': JSON.stringify({ slack: { bench: { ratePerSecond: '0' } } }),
    'conf/schemas/bench.json': JSON.stringify({
      'bench:events': { parser: 'json', schema: { trace: 'string', eventName: 'string', eventTime: 'string', sourceIPAddress: 'string', userIdentity: {} } },
    }),
    'rules/bench_every_login.ts': `import { rule } from 'streamalert';
export const bench_every_login = rule({ logs: ['bench:events'], outputs: ['slack:bench'], description: 'Every console login' }, (rec) => rec.eventName === 'ConsoleLogin');
`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // The package installed in the project, as `npm install streamalert` leaves it.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'streamalert'), 'dir');
  // Its own home and master key: nothing of the user's is read or written.
  const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, '.config'), STREAMALERT_MASTER_KEY: randomBytes(32).toString('base64') };
  const configured = spawnSync(process.execPath, [cli.bin, '--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'bench', url: origin + WEBHOOK_PATH }),
    encoding: 'utf8',
  });
  if (configured.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`output new failed: ${configured.stderr}`);
  }
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function benchRecord(i: number) {
  return {
    trace: `${MARKER}${i}`,
    eventName: 'ConsoleLogin',
    eventTime: new Date(1_790_000_000_000 + i * 1000).toISOString(),
    sourceIPAddress: `203.0.113.${i % 255}`,
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
  };
}

/** The message the Slack output sends for record `i`, built up front: the bare loop does nothing but HTTP. */
function slackBody(i: number): string {
  const alert = createAlert({ ruleName: 'bench_every_login', ruleDescription: 'Every console login', logType: 'bench:events', record: benchRecord(i), outputs: ['slack:bench'] });
  const document = toAlertDocument(alert);
  return buildSlackMessages({ ruleName: document.rule_name, ruleDescription: document.rule_description, record: document.record, alertId: alert.id, created: document.created })[0]!;
}

/** `streamalert --project DIR ARGS...` in its own process; its --json summary. */
async function runCli(cli: Cli, bench: BenchProject, args: string[]): Promise<{ seconds: number; deliveries?: Record<string, { delivered: number }> }> {
  const child = spawn(process.execPath, [...NODE_ARGS, cli.bin, '--project', bench.dir, ...args], { env: bench.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`streamalert ${args.join(' ')} exited ${status}: ${stderr}`);
  return JSON.parse(stdout);
}

interface RunningServe {
  base: string;
  stop(): Promise<void>;
}

async function startServe(cli: Cli, bench: BenchProject): Promise<RunningServe> {
  const child: ChildProcess = spawn(process.execPath, [...NODE_ARGS, cli.bin, '--project', bench.dir, 'serve', '--port', '0'], { env: bench.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // serve logs every delivery on standard output: read on (so it never blocks), keep only the start.
  let head = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (head.length < 10_000) head += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(head);
      if (found) resolve(found[1]!);
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await closed;
    },
  };
}

interface Receiver {
  origin: string;
  /** Every [marker, epoch ms] the receiver saw since the last report (when started with marks). */
  report(): Promise<[string, number][]>;
  /** The receiver process's CPU time so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): void;
}

async function startReceiver(mark: boolean): Promise<Receiver> {
  const child = fork(new URL('./receiver.js', import.meta.url), mark ? ['--mark', MARKER] : []);
  const port = await new Promise<number>((resolve) => child.once('message', (message) => resolve(Number(message))));
  const ask = <T>(question: string, answer: (message: Record<string, unknown>) => T) =>
    new Promise<T>((resolve) => {
      child.once('message', (message) => resolve(answer(message as Record<string, unknown>)));
      child.send(question);
    });
  return {
    origin: `http://127.0.0.1:${port}`,
    report: () => ask('report', (message) => message.seen as [string, number][]),
    cpuMicros: () => ask('cpu', (message) => message.cpuMicros as number),
    stop: () => child.disconnect(),
  };
}

/**
 * The compiled CLI (bin/streamalert.js, what a user installs and runs), with dist/ built first
 * when it is missing or older than src/; the sources (bin/streamalert-from-source.js, as the tests
 * run them, compiled on load) only when the build fails, and the printout says so.
 */
function compiledCli(): Cli {
  const compiled = join(ROOT, 'bin', 'streamalert.js');
  try {
    const built = buildIfStale();
    return { bin: compiled, label: `compiled dist/ (bin/streamalert.js${built ? `; built first: ${built}` : ''})` };
  } catch (error) {
    const why = (error as Error).message.trim().split('\n').at(-1);
    return { bin: join(ROOT, 'bin', 'streamalert-from-source.js'), label: `the sources (bin/streamalert-from-source.js): npm run build failed: ${why}` };
  }
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Prints a result the way bench/index.ts shows every benchmark. */
export function printDurableRunBench(result: DurableRunResult): void {
  console.log(`Durable run, ${fmt(result.records)} records x ${result.rounds} rounds (median): the real CLI in its own process, receiver in another`);
  console.log(`  CLI: ${result.cli}`);
  console.log('  streamalert run --input FILE: classify -> rule -> SQLite alert store -> Slack output, each alert stored then delivered');
  console.log(`  run (its summary's seconds):               ${fmt(result.runPerSecond)} alerts/s (${fmt(result.runWallPerSecond)} counting CLI start)`);
  console.log(`  bare undici Pool loop, ${IN_FLIGHT} in flight, same bodies: ${fmt(result.bareLoopPerSecond)} requests/s`);
  console.log(`  ratio: ${result.ratio.toFixed(2)} (goal >= 0.40)`);
  const busy = (fraction: number) => `${Math.round(100 * fraction)}%`;
  console.log(`  receiver (own process) busy: ${busy(result.receiverBusyBare)} of a core during the bare loop, ${busy(result.receiverBusyRun)} during run`);
}

export function printDurableServeBench(result: DurableServeResult): void {
  console.log(`Durable serve, ${fmt(result.alerts)} alerts POSTed to /v1/records, ${result.recordsPerPost} records a POST, offered at ${fmt(result.offeredPerSecond)} alerts/s`);
  console.log(`  CLI: ${result.cli}`);
  console.log(`  achieved: ${fmt(result.achievedPerSecond)} alerts/s stored and delivered`);
  console.log(`  intake (POST sent) to delivery (receiver saw it): p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms`);
}
