import type { LoadProblem } from '../config/load-problem.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import type { PipelineStats } from '../pipeline/events.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { OpenMerges } from '../store/merges.ts';
import { SUPPRESSION_REASONS, type SuppressionReason } from '../noise/settings.ts';

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
  /** What did not load, and is disabled for this run. */
  disabled: readonly LoadProblem[];
  deliveries: Record<string, OutputDeliveries>;
  /** The alerts this run stored and noise control kept from being sent, by reason (src/noise). */
  suppressed: Partial<Record<SuppressionReason, number>>;
  /** Merge windows still open when the run stopped waiting: their alerts are stored, not sent yet. */
  openMerges?: OpenMerges;
  seconds: number;
}

/**
 * The summary as `run --json` prints it: snake_case, as every `--json` of the CLI and
 * StreamAlert's own documents (log types, rules and reasons stay as they are: they are data).
 */
export function runSummaryJson({ input, stats, disabled, deliveries, suppressed, openMerges, seconds }: RunSummary) {
  return {
    input,
    stats: {
      read: stats.read,
      records: stats.records,
      classified: stats.classified,
      classified_by_log_type: stats.classifiedByLogType,
      unclassified: stats.unclassified,
      unreadable: stats.unreadable,
      unclassified_by_reason: stats.unclassifiedByReason,
      alerts: stats.alerts,
      alerts_by_rule: stats.alertsByRule,
      rule_errors: stats.ruleErrors,
      rule_errors_by_rule: stats.ruleErrorsByRule,
      stopped_rules: stats.stoppedRules,
    },
    disabled: disabled.map(({ kind, file, name, message, disables }) => ({ kind, file, name, message, disables })),
    deliveries: Object.fromEntries(
      Object.entries(deliveries).map(([output, { delivered, failed, pending, lastProblem }]) => [
        output,
        { delivered, failed, pending, ...(lastProblem !== undefined && { last_problem: lastProblem }) },
      ]),
    ),
    suppressed,
    ...(openMerges && { open_merges: { count: openMerges.count, ...(openMerges.nextClosesAt !== undefined && { next_closes_at: new Date(openMerges.nextClosesAt).toISOString() }) } }),
    seconds,
  };
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
const counted = (n: number, what: string) => (n > 0 ? [`${fmt(n)} ${what}${n === 1 ? '' : 's'}`] : []);

/**
 * What makes a run exit 1 unless `--allow-errors` accepts it, in words: rules that threw, input
 * that is not JSON, and what did not load. Valid records no schema fits are not errors.
 *
 * @example
 *   runErrors(summary)  // ['3 rule errors', '2 unreadable records']
 */
export function runErrors({ stats, disabled }: RunSummary): string[] {
  return [...counted(stats.ruleErrors, 'rule error'), ...counted(stats.unreadable, 'unreadable record'), ...counted(disabled.length, 'load problem')];
}

/** The closing summary of `streamalert run`, for a person; it ends by saying why the exit code is 1, if it is. */
export function formatRunSummary(summary: RunSummary, options: { allowErrors?: boolean } = {}): string {
  const { input, stats, disabled, deliveries, seconds } = summary;
  const lines = [`Read ${fmt(stats.read)} input record${stats.read === 1 ? '' : 's'} from ${input} in ${seconds.toFixed(1)} s`];
  lines.push(`  classified    ${fmt(stats.classified)}${breakdown(stats.classifiedByLogType)}`);
  // Reasons are sentences with their own punctuation: one a line, not nested in parentheses.
  lines.push(`  unclassified  ${fmt(stats.unclassified)}`, ...sorted(stats.unclassifiedByReason).map(([reason, count]) => `    ${fmt(count).padStart(6)}  ${reason}`));
  if (stats.ruleErrors > 0) lines.push(`  rule errors   ${fmt(stats.ruleErrors)}${breakdown(stats.ruleErrorsByRule)}`);
  if (stats.stoppedRules.length > 0) lines.push(`Stopped (ran past the time budget on a record, see the warnings above; disabled for the rest of the run): ${stats.stoppedRules.map((rule) => `rule ${rule}`).join('; ')}`);
  if (disabled.length > 0) lines.push(`Disabled (did not load, see the warnings above): ${disabled.map((problem) => problem.disables).join('; ')}`);
  lines.push(`Alerts: ${fmt(stats.alerts)}`);
  for (const [rule, count] of sorted(stats.alertsByRule)) lines.push(`  ${rule.padEnd(40)} ${fmt(count)}`);
  lines.push(...formatDeliveries(deliveries));
  if (Object.keys(summary.suppressed).length > 0) lines.push(suppressedLine(summary.suppressed));
  if (summary.openMerges && summary.openMerges.count > 0) lines.push(openMergesLine(summary.openMerges));
  const errors = runErrors(summary);
  if (errors.length > 0) lines.push(`${errors.join(', ')}: ${options.allowErrors ? 'accepted (--allow-errors)' : 'exit 1 (--allow-errors accepts them)'}`);
  return lines.join('\n');
}

/** Why some alerts raised were not sent: noise control stored them without deliveries. */
export function suppressedLine(suppressed: Partial<Record<SuppressionReason, number>>): string {
  const reasons = SUPPRESSION_REASONS.filter((reason) => (suppressed[reason] ?? 0) > 0).map((reason) => `${fmt(suppressed[reason]!)} ${reason.replace('_', ' ')}`);
  return `Not sent (stored, see 'streamalert alerts list --status suppressed'): ${reasons.join(', ')}`;
}

/** Why some alerts were not sent yet: their merge windows outlast the run's wait. */
export function openMergesLine({ count, nextClosesAt }: OpenMerges): string {
  const next = nextClosesAt === undefined ? '' : `, the next closes at ${new Date(nextClosesAt).toISOString()}`;
  return `Merges: ${fmt(count)} window${count === 1 ? '' : 's'} still open (alerts stored, not sent yet${next}); 'streamalert serve' or a later run sends ${count === 1 ? 'its merged alert' : 'their merged alerts'}`;
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
