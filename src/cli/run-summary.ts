import type { OutputTally } from '../delivery/dispatcher.ts';
import type { PipelineStats } from '../pipeline/events.ts';

export interface RunSummary {
  input: string;
  stats: PipelineStats;
  deliveries: Record<string, OutputTally>;
  seconds: number;
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
  lines.push('Deliveries:');
  const outputs = Object.entries(deliveries).sort(([a], [b]) => a.localeCompare(b));
  if (outputs.length === 0) lines.push('  (none)');
  for (const [name, tally] of outputs) {
    const parts = [`${fmt(tally.delivered)} delivered`];
    if (tally.pending) parts.push(`${fmt(tally.pending)} not delivered yet (retryable)`);
    if (tally.failed) parts.push(`${fmt(tally.failed)} failed`);
    lines.push(`  ${name.padEnd(30)} ${parts.join(', ')}`);
    if (tally.lastProblem) lines.push(`    last problem: ${tally.lastProblem}`);
  }
  return lines.join('\n');
}

function breakdown(counts: Record<string, number>): string {
  const entries = sorted(counts);
  return entries.length ? `  (${entries.map(([key, count]) => `${key}: ${fmt(count)}`).join('; ')})` : '';
}

function sorted(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
