import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, streamalert, streamalertAsync, waitUntil, type CliRun } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;
const MiB = 1024 * 1024;
/** A generous bound on `run`'s peak memory: about 150 MB at rest, and it must not hold a 30 MB line (or ten copies of it). */
const MAX_RSS_KB = 400 * 1024;

/** A project whose duo_fraud rule alerts to a Slack webhook on `slack` (no rate limit), with `global` as conf/global.json. */
function project(slack: LoopbackReceiver, global: object): { dir: string; env: NodeJS.ProcessEnv } {
  const env = isolatedEnv();
  const dir = tempProject({
    ...SCHEMAS,
    'rules/duo_fraud.ts': RULE,
    'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 }, ...global },
    // No rate limit: the file's tests send bursts to one webhook, which Slack's one a second would queue for minutes.
    'conf/output_settings.json': { slack: { 'sec-alerts': { ratePerSecond: '0' } } },
  });
  const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }),
  });
  expect(configured.status, configured.stderr).toBe(0);
  return { dir, env };
}

/** The alerts stored in a project (asked without blocking, so the loopback receivers and HTTP clients of the test go on). */
async function storedAlerts(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const listed = await streamalertAsync(['--project', dir, 'alerts', 'list', '--json', '--limit', '100000'], { env });
  expect(listed.status, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as unknown[]).length;
}

/** A Duo fraud record whose `user` (a `{}` field: any object fits) nests objects `levels` deep, as NDJSON text. */
function deepRecord(levels: number): string {
  return JSON.stringify(duoRecord({ user: {} })).replace('"user":{}', `"user":${'{"a":'.repeat(levels)}"deepest"${'}'.repeat(levels)}`);
}

const fraudLines = (count: number) => Array.from({ length: count }, () => JSON.stringify(duoRecord()));

/**
 * `streamalert ARGS` in its own process, as `streamalert()` runs it, with the peak resident
 * memory the process reached (process.resourceUsage().maxRSS, in kB), which it writes as it exits.
 */
async function streamalertMeasured(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun & { maxRssKb: number }> {
  const folder = mkdtempSync(join(tmpdir(), 'streamalert-rss-'));
  const rssFile = join(folder, 'max-rss-kb');
  const wrapper = [
    "import { writeFileSync } from 'node:fs';",
    `process.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
    // As if started as `node bin/streamalert.js ARGS`.
    `process.argv.splice(1, 0, ${JSON.stringify(BIN)});`,
    `await import(${JSON.stringify(pathToFileURL(BIN).href)});`,
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', wrapper, '--', ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    return { status, stdout, stderr, maxRssKb: Number(readFileSync(rssFile, 'utf8')) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('streamalert run on bounded input', () => {
  let slack: LoopbackReceiver;
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const lastLine = (run: CliRun) => run.stdout.trim().split('\n').at(-1);

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    ({ dir, env } = project(slack, { input: { maxInflatedBytes: 4 * MiB } }));
  });
  afterAll(async () => {
    await slack.close();
  });

  it('rejects a 30 MB line with its file and line, processes the records after it, and stays within bounded memory', async () => {
    const path = join(dir, 'long-line.ndjson');
    writeFileSync(path, `${JSON.stringify(duoRecord())}\n{"result":"fraud","padding":"${'x'.repeat(30 * MiB)}"}\n${JSON.stringify(duoRecord())}\n`);
    const run = await streamalertMeasured(['--project', dir, 'run', '--input', path], env);
    expect(run.stderr).toContain(`warning: line 2 of ${path} is larger than 1048576 bytes: skipped (input.maxRecordBytes in conf/global.json sets the limit)`);
    expect(run.stdout).toMatch(/^Read 3 input records from /);
    expect(run.stdout).toMatch(/unclassified +1\n +1  larger than input\.maxRecordBytes\n/);
    expect(run.stdout).toContain('Alerts: 2');
    expect(lastLine(run)).toBe('1 unreadable record: exit 1 (--allow-errors accepts them)');
    expect(run.status).toBe(1);
    expect(run.maxRssKb).toBeGreaterThan(0);
    expect(run.maxRssKb).toBeLessThan(MAX_RSS_KB);
  });

  it('rejects a record nested 10,000 deep in the middle of NDJSON with the reason, stores the others and prints the summary', async () => {
    const path = join(dir, 'deep.ndjson');
    writeFileSync(path, [...fraudLines(5), deepRecord(10_000), ...fraudLines(5)].join('\n'));
    const before = await storedAlerts(dir, env);
    const run = await streamalertAsync(['--project', dir, 'run', '--json', '--input', path], { env });
    expect(run.stderr).toContain(`warning: line 6 of ${path} nests objects or lists deeper than 64 levels: skipped`);
    const summary = JSON.parse(run.stdout) as { stats: { read: number; alerts: number; unreadable: number; unclassified_by_reason: Record<string, number> } };
    expect(summary.stats).toMatchObject({ read: 11, alerts: 10, unreadable: 1, unclassified_by_reason: { 'nested deeper than 64 levels': 1 } });
    expect(run.status).toBe(1);
    expect((await storedAlerts(dir, env)) - before).toBe(10);
  });

  it('stops a gzip file that inflates past input.maxInflatedBytes with a clear error, after a summary of the records before (exit 1)', async () => {
    const path = join(dir, 'bomb.ndjson.gz');
    const successes = `${JSON.stringify(duoRecord({ result: 'success' }))}\n`.repeat(Math.ceil((10 * MiB) / 200));
    writeFileSync(path, gzipSync(successes));
    const run = await streamalertAsync(['--project', dir, 'run', '--input', path], { env });
    expect(run.stderr).toContain(`${path} inflates to more than 4194304 bytes (input.maxInflatedBytes in conf/global.json)`);
    const read = Number(/^Read ([\d,]+) input records/.exec(run.stdout)?.[1]?.replace(/,/g, ''));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(successes.length / 200);
    expect(run.status).toBe(1);
  });

  it('ends `run --input /dev/zero` with a clear error and a summary (exit 1), not a crash', async () => {
    const run = await streamalertAsync(['--project', dir, 'run', '--input', '/dev/zero'], { env });
    expect(run.stderr).toContain('/dev/zero is not JSON text: it holds a NUL byte (character 1)');
    expect(run.stdout).toMatch(/^Read 0 input records from \/dev\/zero/);
    expect(run.status).toBe(1);
  });
});

describe('streamalert serve on bounded input', () => {
  let slack: LoopbackReceiver;
  let serve: RunningServe;
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body, headers });

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    ({ dir, env } = project(slack, { serve: { maxBodyBytes: 40 * MiB } }));
    serve = await startServe(dir, env);
  });
  afterAll(async () => {
    await serve.stop();
    await slack.close();
  });

  it('answers 202 naming the line of a record nested 10,000 deep, and stores the alerts of the others', async () => {
    const before = await storedAlerts(dir, env);
    const response = await post([...fraudLines(500), deepRecord(10_000), ...fraudLines(500)].join('\n'));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ read: 1001, alerts: 1000, rejected: 1, rejected_lines: [501], unclassified_reasons: { 'nested deeper than 64 levels': 1 } });
    expect((await storedAlerts(dir, env)) - before).toBe(1000);
  });

  it('answers 202 naming the line of a 30 MB record, and stores the alerts of the others', async () => {
    const before = await storedAlerts(dir, env);
    const response = await post(`${JSON.stringify(duoRecord())}\n{"result":"fraud","padding":"${'x'.repeat(30 * MiB)}"}\n${JSON.stringify(duoRecord())}`);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ read: 3, alerts: 2, rejected: 1, rejected_lines: [2], unclassified_reasons: { 'larger than input.maxRecordBytes': 1 } });
    expect((await storedAlerts(dir, env)) - before).toBe(2);
  });

  it('refuses a gzip body that inflates past serve.maxBodyBytes with 413 saying so, and stores nothing of it', async () => {
    const before = await storedAlerts(dir, env);
    const bomb = gzipSync(fraudLines(Math.ceil((41 * MiB) / 200)).join('\n'));
    expect(bomb.length).toBeLessThan(2 * MiB);
    const response = await post(bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe(
      `the body is larger than ${40 * MiB} bytes (serve.maxBodyBytes in conf/global.json; gzip bodies count once inflated): send fewer records per request; nothing of this request was stored`,
    );
    expect(await storedAlerts(dir, env)).toBe(before);
  });

  it('stores nothing of a request whose client disconnects mid-body, and says so in the log', async () => {
    const before = await storedAlerts(dir, env);
    const body = `${fraudLines(500).join('\n')}\n`;
    const { hostname, port } = new URL(serve.base);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    // The body says it is twice as long as what is sent before the client goes.
    const head = `POST /v1/records?log_type=duo HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${2 * Buffer.byteLength(body)}\r\n\r\n`;
    await new Promise<void>((resolve) => socket.write(head + body, () => resolve()));
    socket.destroy();
    await waitUntil(() => serve.output.stderr.includes('the connection closed before the end of the body'));
    expect(await storedAlerts(dir, env)).toBe(before);
    // The server is fine, and a whole request is stored.
    const response = await post(fraudLines(1).join('\n'));
    expect(response.status).toBe(202);
    expect(await storedAlerts(dir, env)).toBe(before + 1);
  });

  it('takes a record nested exactly 64 levels deep through the rules, the store and the Slack renderer', async () => {
    // The record is the first level, and user's 63 objects the others.
    const response = await post(deepRecord(63));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ alerts: 1, rejected: 0 });
    // The earlier tests' alerts are delivered to the same webhook.
    await waitUntil(() => slack.requests.some((request) => JSON.stringify(request.json).includes('deepest')));
  });
});
