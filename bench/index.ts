// `npm run bench`: every benchmark, each printing rates measured in this one run and their ratio.
import { runSlackBench } from './slack.ts';

const count = Number(process.env.BENCH_ALERTS ?? 20_000);
const slack = await runSlackBench(count);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`Slack delivery, ${fmt(slack.alerts)} alerts x ${slack.rounds} rounds (median), ${slack.concurrency} in flight, loopback receiver in its own thread`);
console.log(`  streamalert (deliver -> SlackOutput -> HttpClient): ${fmt(slack.oursPerSecond)} alerts/s`);
console.log(`  bare undici Pool loop, same bodies:                 ${fmt(slack.bareLoopPerSecond)} requests/s`);
console.log(`  ratio: ${slack.ratio.toFixed(2)} (goal >= 0.70)`);
