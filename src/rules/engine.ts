import { createAlert, type Alert } from '../alerts/alert.ts';
import type { ClassifiedRecord } from '../classifier/classifier.ts';
import { cloneJson, isPlainObject } from '../classifier/record.ts';
import { bump, newStats, type PipelineEvent, type PipelineStats, type RecordPosition } from '../pipeline/events.ts';
import { publishersFor } from '../publishers/assign.ts';
import type { LoadedRule } from './loader.ts';
import type { RuleContext } from './rule.ts';

/** Where records came from, stamped on alerts (StreamAlert's cluster, source_service, source_entity). */
export interface AlertSource {
  readonly service?: string;
  readonly entity?: string;
  readonly cluster?: string;
}

export interface RulesEngineOptions {
  /** `service:descriptor` of every configured output: dynamic outputs must name one. */
  readonly configuredOutputs: ReadonlySet<string>;
  readonly source?: AlertSource;
  /** Told about every rule that throws and every dynamic output that misbehaves. */
  readonly onEvent?: (event: PipelineEvent) => void;
  /** Counters to add to (shared with the classifier stage by the pipeline). */
  readonly stats?: PipelineStats;
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);
/** Rules declared without `context` get this; they have no use for one. */
const NO_CONTEXT: RuleContext = Object.freeze({});

/**
 * Runs rules over classified records (StreamAlert's rules engine): each rule declared for the
 * record's log type whose `reqSubkeys` are present runs on it; one that returns true raises an
 * alert to its outputs plus those its dynamic outputs return. A rule that throws is counted and
 * reported with its name and the record's position, and the other rules go on.
 *
 * @example
 *   const engine = new RulesEngine(rules, { configuredOutputs: new Set(['slack:sec-alerts']) });
 *   const alerts = engine.evaluate(classified, { ordinal: 1, index: 0, of: 1 });
 */
export class RulesEngine {
  readonly stats: PipelineStats;
  readonly #byLogType = new Map<string, LoadedRule[]>();
  readonly #configured: ReadonlySet<string>;
  readonly #source: AlertSource;
  readonly #onEvent: (event: PipelineEvent) => void;

  constructor(rules: readonly LoadedRule[], options: RulesEngineOptions) {
    for (const rule of rules) {
      for (const log of rule.logs) {
        const list = this.#byLogType.get(log) ?? [];
        list.push(rule);
        this.#byLogType.set(log, list);
      }
    }
    this.#configured = options.configuredOutputs;
    this.#source = options.source ?? {};
    this.#onEvent = options.onEvent ?? (() => {});
    this.stats = options.stats ?? newStats();
  }

  /** The alerts the record raises, in rule order. */
  evaluate(classified: ClassifiedRecord, position: RecordPosition): readonly Alert[] {
    const rules = this.#byLogType.get(classified.schema.name);
    if (rules === undefined) return NO_ALERTS;
    const { record } = classified;
    let alerts: Alert[] | undefined;
    for (const rule of rules) {
      if (rule.reqSubkeys !== undefined && !hasSubkeys(record, rule.reqSubkeys)) continue;
      // A fresh copy per run, so one record's changes never leak into the next (as StreamAlert).
      const context = rule.context === undefined ? NO_CONTEXT : cloneJson(rule.context);
      let fired: unknown;
      try {
        fired = rule.fn(record, context);
      } catch (error) {
        this.#ruleError('rule-error', rule, position, describeError(error));
        continue;
      }
      if (!fired) continue;
      if (typeof (fired as { then?: unknown }).then === 'function') {
        this.#ruleError('rule-error', rule, position, 'returned a Promise; rules must be synchronous and return true or false');
        continue;
      }
      (alerts ??= []).push(this.#alert(rule, classified, context, position));
    }
    return alerts ?? NO_ALERTS;
  }

  #alert(rule: LoadedRule, classified: ClassifiedRecord, context: RuleContext, position: RecordPosition): Alert {
    const outputs = rule.dynamicOutputs.length === 0 ? rule.outputs : this.#withDynamicOutputs(rule, classified.record, context, position);
    this.stats.alerts++;
    bump(this.stats.alertsByRule, rule.name);
    return createAlert({
      ruleName: rule.name,
      ruleDescription: rule.description,
      record: classified.record,
      outputs,
      logSource: classified.schema.name,
      logType: classified.schema.parser,
      severity: rule.severity,
      context: context === NO_CONTEXT ? {} : context,
      publishers: rule.publishers ? Object.fromEntries(outputs.map((output) => [output, publishersFor(rule.publishers!, output)])) : {},
      cluster: this.#source.cluster ?? '',
      sourceService: this.#source.service ?? '',
      sourceEntity: this.#source.entity ?? '',
    });
  }

  /** Static outputs, then each dynamic output's, without repeats; unconfigured ones are reported and left out. */
  #withDynamicOutputs(rule: LoadedRule, record: Record<string, unknown>, context: RuleContext, position: RecordPosition): string[] {
    const outputs = new Set(rule.outputs);
    for (const dynamic of rule.dynamicOutputs) {
      let returned: unknown;
      try {
        returned = dynamic(record, context);
      } catch (error) {
        this.#ruleError('dynamic-output-error', rule, position, `${dynamic.name || 'a dynamic output'} threw ${describeError(error)}`);
        continue;
      }
      if (returned === null || returned === undefined) continue;
      const list: unknown[] = Array.isArray(returned) ? returned : [returned];
      for (const output of list) {
        if (typeof output === 'string' && this.#configured.has(output)) outputs.add(output);
        else {
          const what = typeof output === 'string' ? `'${output}', which is not configured in conf/outputs.json` : `${JSON.stringify(output)}, not an output name`;
          this.#ruleError('dynamic-output-error', rule, position, `${dynamic.name || 'a dynamic output'} returned ${what}`);
        }
      }
    }
    return [...outputs];
  }

  #ruleError(kind: 'rule-error' | 'dynamic-output-error', rule: LoadedRule, position: RecordPosition, error: string): void {
    this.stats.ruleErrors++;
    bump(this.stats.ruleErrorsByRule, rule.name);
    this.#onEvent({ kind, rule: rule.name, position, error });
  }
}

/** StreamAlert's req_subkeys: `record[key]` is an object holding every listed subkey. */
function hasSubkeys(record: Record<string, unknown>, required: Readonly<Record<string, readonly string[]>>): boolean {
  for (const key in required) {
    const value = record[key];
    if (!isPlainObject(value)) return false;
    for (const subkey of required[key]!) if (!(subkey in value)) return false;
  }
  return true;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
