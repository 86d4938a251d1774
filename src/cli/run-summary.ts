import type { DeliveryEngine } from '../delivery/engine.ts';
import type { PipelineStats } from '../pipeline/events.ts';
import type { AlertStore } from '../store/alert-store.ts';

/** Per output: delivered and dead-lettered in this run, and pending in the store now. */
export interface OutputDeliveries {
  delivered: number;
  failed: number;
  pending: number;
  lastProblem?: string;
}

export interface RunSummary {
  input: string;
  stats: PipelineStats;
  deliveries: Record<string, OutputDeliveries>;
  seconds: number;
}

/** This session's outcomes per output, with what is still pending in the store. */
export async function deliverySummary(session: { engine: DeliveryEngine; store: AlertStore }): Promise<Record<string, OutputDeliveries>> {
  const pending = await session.store.pendingByOutput();
  const names = new Set([...session.engine.tallies.keys(), ...Object.keys(pending)]);
  return Object.fromEntries(
    [...names].sort().map((name) => {
      const tally = session.engine.tallies.get(name);
      return [name, { delivered: tally?.delivered ?? 0, failed: tally?.failed ?? 0, pending: pending[name] ?? 0, ...(tally?.lastProblem ? { lastProblem: tally.lastProblem } : {}) }];
    }),
  );
}

/** Every alert reached every output: nothing dead-lettered, nothing left pending. */
export function isComplete(deliveries: Record<string, OutputDeliveries>): boolean {
  return Object.values(deliveries).every((d) => d.failed === 0 && d.pending === 0);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The closing summary of `streamalert run`, for a person. */
export function formatRunSummary({ input, stats, deliveries, seconds }: RunSummary): string {
  const lines = [`Read ${fmt(stats.read)} input record${stats.read === 1 ? '' : 's'} from ${input} in ${seconds.toFixed(1)} s`];
  lines.push(`  classified    ${fmt(stats.classified)}${breakdown(stats.classifiedByLogType)}`);
  lines.push(`  unclassified  ${fmt(stats.unclassified)}${breakdown(stats.unclassifiedByReason)}`);
  if (stats.ruleErrors > 0) lines.push(`  rule errors   ${fmt(stats.ruleErrors)}${breakdown(stats.ruleErrorsByRule)}`);
  lines.push(`Alerts: ${fmt(stats.alerts)}`);
  for (const [rule, count] of sorted(stats.alertsByRule)) lines.push(`  ${rule.padEnd(40)} ${fmt(count)}`);
  lines.push(...formatDeliveries(deliveries));
  return lines.join('\n');
}

/** The deliveries part of a summary, shared by `run` and `alerts retry`. */
export function formatDeliveries(deliveries: Record<string, OutputDeliveries>): string[] {
  const lines = ['Deliveries:'];
  const outputs = Object.entries(deliveries);
  if (outputs.length === 0) lines.push('  (none)');
  for (const [name, d] of outputs) {
    const parts = [`${fmt(d.delivered)} delivered`];
    if (d.pending) parts.push(`${fmt(d.pending)} pending (stored; retried by the next run or 'streamalert alerts retry')`);
    if (d.failed) parts.push(`${fmt(d.failed)} failed (see 'streamalert alerts list --status failed')`);
    lines.push(`  ${name.padEnd(30)} ${parts.join(', ')}`);
    if (d.lastProblem && (d.pending || d.failed)) lines.push(`    last problem: ${d.lastProblem}`);
  }
  return lines;
}

function breakdown(counts: Record<string, number>): string {
  const entries = sorted(counts);
  return entries.length ? `  (${entries.map(([key, count]) => `${key}: ${fmt(count)}`).join('; ')})` : '';
}

function sorted(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
