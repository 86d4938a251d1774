import { fork } from 'node:child_process';
import { Pool } from 'undici';
import { createAlert, toAlertDocument, type Alert } from '../src/alerts/alert.ts';
import { createOutputContext } from '../src/outputs/context.ts';
import { createOutput } from '../src/outputs/registry.ts';
import { buildSlackMessages } from '../src/outputs/slack/message.ts';
import { deliverTo } from '../src/delivery/deliver.ts';
import { Secret } from '../src/secrets/secret.ts';
import '../src/outputs/slack/slack.ts'; // registers the service createOutput builds

export interface SlackBenchResult {
  alerts: number;
  concurrency: number;
  rounds: number;
  oursPerSecond: number;
  bareLoopPerSecond: number;
  ratio: number;
}

/**
 * Sends `count` alerts through the Slack output (deliverTo -> SlackOutput -> shared HttpClient)
 * to a loopback receiver, then sends the very same request bodies with a bare undici Pool
 * loop at the same concurrency, and compares the two rates measured in this one run.
 */
export async function runSlackBench(count = 20_000, concurrency = 64, rounds = 5): Promise<SlackBenchResult> {
  const receiver = fork(new URL('./receiver.js', import.meta.url));
  const port = await new Promise<number>((resolve) => receiver.once('message', (message) => resolve(Number(message))));
  const origin = `http://127.0.0.1:${port}`;
  const path = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
  const alerts = Array.from({ length: count }, (_, i) => sampleAlert(i));

  try {
    const context = createOutputContext({ timeoutMs: 10_000 });
    const slack = createOutput('slack', { descriptor: 'bench', values: { url: new Secret(origin + path) } }, context);
    // One attempt to one output, as the delivery engine makes them.
    const ours = (alert: Alert) =>
      deliverTo(alert, slack).then((result) => {
        if (result.kind !== 'delivered') throw new Error(`bench delivery failed: ${JSON.stringify(result)}`);
      });

    // The same bodies the Slack output sends, serialised up front: the bare loop does nothing but HTTP.
    const bodies = alerts.map((alert) => buildSlackMessages(slackView(alert))[0]!);
    const pool = new Pool(origin, { connections: concurrency });
    const bare = async (body: string) => {
      const response = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } });
      await response.body.dump(); // as the Slack output does with Slack's "ok"
      if (response.statusCode !== 200) throw new Error(`bare loop got HTTP ${response.statusCode}`);
    };

    // Alternate the two, several rounds, and keep each side's median: a busy machine then
    // slows both alike instead of skewing the ratio.
    await runPool(alerts.slice(0, 1000), concurrency, ours);
    await runPool(bodies.slice(0, 1000), concurrency, bare);
    const oursSeconds: number[] = [];
    const bareSeconds: number[] = [];
    for (let round = 0; round < rounds; round++) {
      oursSeconds.push(await timed(() => runPool(alerts, concurrency, ours)));
      bareSeconds.push(await timed(() => runPool(bodies, concurrency, bare)));
    }
    await context.close();
    await pool.close();

    const oursPerSecond = count / median(oursSeconds);
    const bareLoopPerSecond = count / median(bareSeconds);
    return { alerts: count, concurrency, rounds, oursPerSecond, bareLoopPerSecond, ratio: oursPerSecond / bareLoopPerSecond };
  } finally {
    receiver.disconnect();
  }
}

function sampleAlert(i: number): Alert {
  return createAlert({
    ruleName: 'cloudtrail_root_account_usage',
    ruleDescription: 'Root account used',
    logType: 'cloudtrail:events',
    record: {
      eventName: 'ConsoleLogin',
      eventTime: new Date(1_790_000_000_000 + i * 1000).toISOString(),
      sourceIPAddress: `203.0.113.${i % 255}`,
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
    },
  });
}

function slackView(alert: Alert) {
  const document = toAlertDocument(alert);
  return { ruleName: document.rule_name, ruleDescription: document.rule_description, record: document.record, alertId: alert.id, created: document.created };
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Prints a result the way bench/index.ts shows every benchmark. */
export function printSlackBench(result: SlackBenchResult): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`Slack delivery, ${fmt(result.alerts)} alerts x ${result.rounds} rounds (median), ${result.concurrency} in flight, loopback receiver in its own process`);
  console.log(`  streamalert (deliverTo -> SlackOutput -> HttpClient): ${fmt(result.oursPerSecond)} alerts/s`);
  console.log(`  bare undici Pool loop, same bodies:                 ${fmt(result.bareLoopPerSecond)} requests/s`);
  console.log(`  ratio: ${result.ratio.toFixed(2)} (goal >= 0.70)`);
}
