import { types } from 'node:util';
import { createAlert, type Alert } from '../alerts/alert.ts';
import type { ClassifiedRecord } from '../classifier/classifier.ts';
import { cloneJson, isPlainObject } from '../classifier/record.ts';
import { describeError, describeValue } from '../observability/describe-error.ts';
import { bump, newStats, type PipelineEvent, type PipelineStats, type RecordPosition } from '../pipeline/events.ts';
import { normalizationOf } from '../normalization/config.ts';
import { attachNormalization, hasNormalizedType } from '../normalization/record.ts';
import { publishersFor } from '../publishers/assign.ts';
import { annotateThreatIntel } from '../threat-intel/annotate.ts';
import { exitsRefused, refuseExits } from './exit-guard.ts';
import type { LoadedMatcher, LoadedRule } from './loader.ts';
import { deepFreeze, isReadOnlyWrite } from './read-only.ts';
import type { RuleContext } from './rule.ts';
import { finishesWithin } from './watchdog.ts';
import { mergeSettingsFor } from '../merge/rule-settings.ts';
import { NO_ROUTING, routeAlert, type Routing } from '../routing/routing.ts';
import { noiseSettingsFor } from '../noise/rule-settings.ts';

/** Where records came from, stamped on alerts (StreamAlert's cluster, source_service, source_entity). */
export interface AlertSource {
  readonly service?: string;
  readonly entity?: string;
  readonly cluster?: string;
}

/**
 * Ids for the alerts of one input that stay the same however often the input is read: an input
 * delivered again (AWS retries a batch) raises alerts with the ids it raised the first time, and
 * the alert store saves each once (src/lambda/events/alert-ids.ts).
 */
export interface AlertIds {
  idFor(position: RecordPosition, ruleName: string): string;
}

export interface RulesEngineOptions {
  /** `service:descriptor` of every configured output: dynamic outputs must name one. */
  readonly configuredOutputs: ReadonlySet<string>;
  readonly source?: AlertSource;
  /** Told about every rule that throws and every dynamic output that misbehaves. */
  readonly onEvent?: (event: PipelineEvent) => void;
  /** Counters to add to (shared with the classifier stage by the pipeline). */
  readonly stats?: PipelineStats;
  /** Outputs by severity for rules that name none, and each output's minimum severity (src/routing). */
  readonly routing?: Routing;
}

/** A classified record and where it is in the input: what the engine evaluates. */
export interface RecordToEvaluate {
  readonly classified: ClassifiedRecord;
  readonly position: RecordPosition;
}

/**
 * How long the rules may take on one record before the one running is stopped and disabled.
 * Generous: rules take microseconds a record; a second is a rule that will not return.
 */
const RECORD_BUDGET_MS = 1_000;
/** A guarded run starts no record after this long, so the watchdog only ever stops a record that ran past its budget. */
const SLICE_MS = RECORD_BUDGET_MS / 4;

/** Rules the watchdog stopped, disabled for the rest of the process: later engines (serve makes one per request) skip them too. */
const stoppedRules = new WeakSet<LoadedRule>();

const NO_ALERTS: readonly Alert[] = Object.freeze([]);
/** Rules declared without `context` get this; they have no use for one. */
const NO_CONTEXT: RuleContext = Object.freeze({});

/** Where evaluation is in a batch, kept outside the guarded run so it survives the watchdog stopping it. */
interface Cursor {
  record: number;
  rule: number;
  /** The rule whose code (the function or a dynamic output) is running; undefined while the engine's own code is. */
  running: LoadedRule | undefined;
}

/**
 * Runs rules over classified records (StreamAlert's rules engine): each rule declared for the
 * record's log type, not disabled, whose `reqSubkeys` are present, that has a value for one of
 * its `datatypes` and whose matchers all match, runs on it; one that returns true raises an
 * alert to its outputs plus those its dynamic outputs return (a staged rule's: to the staging
 * outputs only, flagged staged). The record gets its normalization first (record.normalized,
 * `streamalert_normalization`), then is frozen. Rules cannot harm each other or
 * the run: the record is frozen; a rule that throws anything, returns anything but true or false,
 * or calls process.exit is counted and reported with its name and the record's position; and a
 * rule still running when the record's time budget is spent is stopped, reported and disabled.
 * The other rules go on.
 *
 * @example
 *   const engine = new RulesEngine(rules, { configuredOutputs: new Set(['slack:sec-alerts']) });
 *   const alerts = engine.evaluateBatch(records.map((classified, i) => ({ classified, position: { ordinal: i + 1, index: 0, of: 1 } })));
 */
export class RulesEngine {
  readonly stats: PipelineStats;
  readonly #byLogType = new Map<string, LoadedRule[]>();
  readonly #configured: ReadonlySet<string>;
  readonly #routing: Routing;
  /** Stamped on the alerts raised from here on: set per input by the caller (a file, a bucket). */
  source: AlertSource;
  /** For the input being read, when it has a stable identity; set per input by the caller. Otherwise every alert gets a fresh id. */
  alertIds: AlertIds | undefined;
  readonly #onEvent: (event: PipelineEvent) => void;
  /** Records evaluate() is holding back for the batch collect() is building. */
  #collected: RecordToEvaluate[] | undefined;

  constructor(rules: readonly LoadedRule[], options: RulesEngineOptions) {
    for (const rule of rules) {
      if (stoppedRules.has(rule) || rule.disabled) continue;
      for (const log of rule.logs) {
        const list = this.#byLogType.get(log) ?? [];
        list.push(rule);
        this.#byLogType.set(log, list);
      }
    }
    this.#configured = options.configuredOutputs;
    this.#routing = options.routing ?? NO_ROUTING;
    this.source = options.source ?? {};
    this.#onEvent = options.onEvent ?? (() => {});
    this.stats = options.stats ?? newStats();
  }

  /**
   * The alerts one record raises, in rule order; inside collect(), none yet: the record waits for
   * the end of the batch. A batch is much cheaper per record (see evaluateBatch).
   */
  evaluate(classified: ClassifiedRecord, position: RecordPosition): readonly Alert[] {
    if (this.#collected === undefined) return this.evaluateBatch([{ classified, position }]);
    this.#collected.push({ classified, position });
    return NO_ALERTS;
  }

  /**
   * Runs `work`, in which evaluate() only collects its records, then evaluates them all as one
   * batch and returns their alerts: how the pipeline hands a batch of input to the rules. Inside
   * another collect(), the records join the outer batch.
   *
   * @example
   *   const alerts = engine.collect(() => { for (const item of batch) pipeline.processInput(item); });
   */
  collect(work: () => void): Alert[] {
    if (this.#collected !== undefined) {
      work();
      return [];
    }
    const collected: RecordToEvaluate[] = (this.#collected = []);
    try {
      work();
    } finally {
      this.#collected = undefined;
    }
    return this.evaluateBatch(collected);
  }

  /**
   * The alerts the records raise, in record then rule order. The rules run on the main thread, in
   * runs of up to a quarter of the budget under one watchdog (see finishesWithin), with
   * process.exit refused throughout.
   */
  evaluateBatch(records: readonly RecordToEvaluate[]): Alert[] {
    const alerts: Alert[] = [];
    if (!records.some(({ classified }) => this.#byLogType.has(classified.schema.name))) return alerts;
    const cursor: Cursor = { record: 0, rule: 0, running: undefined };
    // Opened and closed outside the guarded runs: a stopped run skips its finally blocks.
    const allowExits = refuseExits();
    try {
      while (cursor.record < records.length) {
        const finished = finishesWithin(RECORD_BUDGET_MS + SLICE_MS, () => this.#evaluateFrom(cursor, records, alerts));
        if (!finished) this.#stop(cursor, records[cursor.record]!.position);
      }
    } finally {
      allowExits();
    }
    return alerts;
  }

  /** Evaluates from the cursor on, returning early once the slice is spent so that the next record starts with a fresh budget. */
  #evaluateFrom(cursor: Cursor, records: readonly RecordToEvaluate[], alerts: Alert[]): void {
    const sliceEnd = performance.now() + SLICE_MS;
    for (let first = true; cursor.record < records.length; cursor.record++, cursor.rule = 0, first = false) {
      if (!first && performance.now() > sliceEnd) return;
      const { classified, position } = records[cursor.record]!;
      const rules = this.#byLogType.get(classified.schema.name);
      if (rules === undefined) continue;
      const { record } = classified;
      // Where StreamAlert's classifier normalizes: once per record, before any rule sees it.
      attachNormalization(record, normalizationOf(classified.schema));
      // StreamAlert's threat intel, on the normalized values: `streamalert:ioc` (src/threat-intel/annotate.ts).
      annotateThreatIntel(record);
      deepFreeze(record);
      for (; cursor.rule < rules.length; cursor.rule++) {
        const rule = rules[cursor.rule]!;
        if (rule.reqSubkeys !== undefined && !hasSubkeys(record, rule.reqSubkeys)) continue;
        if (rule.datatypes !== undefined && !hasNormalizedType(record, rule.datatypes)) continue;
        cursor.running = rule;
        if (rule.matchers === undefined || this.#matches(rule, rule.matchers, record, classified.schema.name, position)) {
          // A fresh copy per run, so one record's changes never leak into the next (as StreamAlert).
          const context = rule.context === undefined ? NO_CONTEXT : cloneJson(rule.context);
          if (this.#fires(rule, record, context, position)) alerts.push(this.#alert(rule, classified, context, position));
        }
        cursor.running = undefined;
      }
    }
  }

  /** Whether the rule fired; anything but true or false, a throw or a call to process.exit is a rule error, and no alert. */
  #fires(rule: LoadedRule, record: Record<string, unknown>, context: RuleContext, position: RecordPosition): boolean {
    const exitsBefore = exitsRefused();
    let fired: unknown;
    try {
      fired = rule.fn(record, context);
    } catch (error) {
      this.#ruleError('rule-error', rule, position, describeThrown(error));
      return false;
    }
    if (exitsRefused() !== exitsBefore) {
      this.#ruleError('rule-error', rule, position, 'called process.exit and caught the RuleExitError that stopped it; rules must not end the process');
      return false;
    }
    if (fired === true || fired === false) return fired;
    this.#ruleError('rule-error', rule, position, misreturned(fired));
    return false;
  }

  /**
   * Whether every matcher of the rule matches the record (StreamAlert's check_matchers). A
   * matcher for other log types does not match; one that throws or returns anything but true or
   * false is an error of the rule, which then does not run (StreamAlert logs it and skips the rule).
   */
  #matches(rule: LoadedRule, matchers: readonly LoadedMatcher[], record: Record<string, unknown>, logType: string, position: RecordPosition): boolean {
    for (const matcher of matchers) {
      if (matcher.logs !== undefined && !matcher.logs.has(logType)) return false;
      const exitsBefore = exitsRefused();
      let matched: unknown;
      try {
        matched = matcher.fn(record);
      } catch (error) {
        this.#ruleError('rule-error', rule, position, `matcher '${matcher.name}' threw ${describeThrown(error)}`);
        return false;
      }
      if (exitsRefused() !== exitsBefore) {
        this.#ruleError('rule-error', rule, position, `matcher '${matcher.name}' called process.exit and caught the RuleExitError that stopped it; matchers must not end the process`);
        return false;
      }
      if (matched === false) return false;
      if (matched !== true) {
        this.#ruleError('rule-error', rule, position, `matcher '${matcher.name}' ${misreturned(matched).replace(/\brules\b/g, 'matchers')}`);
        return false;
      }
    }
    return true;
  }

  /** The watchdog stopped a guarded run: disables the rule that was running, and evaluation resumes after it. */
  #stop(cursor: Cursor, position: RecordPosition): void {
    const rule = cursor.running;
    cursor.running = undefined;
    // The engine's own work on a huge record: the next run goes on from where it was.
    if (rule === undefined) return;
    stoppedRules.add(rule);
    // The rules after it move up one place, so the cursor already points at the next.
    for (const list of this.#byLogType.values()) {
      const at = list.indexOf(rule);
      if (at !== -1) list.splice(at, 1);
    }
    this.stats.stoppedRules.push(rule.name);
    this.#ruleError(
      'rule-error',
      rule,
      position,
      `did not return within ${RECORD_BUDGET_MS.toLocaleString('en-US')} ms, so it was stopped and is disabled for the rest of the run (a loop that never ends, or a regular expression that backtracks without end?)`,
    );
  }

  #alert(rule: LoadedRule, classified: ClassifiedRecord, context: RuleContext, position: RecordPosition): Alert {
    // A staged rule's alerts go to the staging outputs alone, its dynamic outputs not even asked (as StreamAlert).
    const named = rule.staging ? rule.staging.outputs : rule.dynamicOutputs.length === 0 ? rule.outputs : this.#withDynamicOutputs(rule, classified.record, context, position);
    // A staged rule's alerts go nowhere but the staging outputs, even when it names none.
    const outputs = rule.staging ? named : routeAlert(this.#routing, rule.severity, named);
    this.stats.alerts++;
    bump(this.stats.alertsByRule, rule.name);
    const merge = rule.mergeByKeys ? mergeSettingsFor(rule, classified.record) : undefined;
    // A rule with noise options (src/noise): its alert carries its key, window and inhibitions, for the store.
    const noise = rule.noise ? noiseSettingsFor(rule.name, rule.noise, this.#dedupKey(rule, classified.record, context, position)) : undefined;
    return createAlert({
      ...(this.alertIds && { id: this.alertIds.idFor(position, rule.name) }),
      ...(noise && { noise }),
      // A merging rule's alert carries its settings: the store holds it in its merge window (src/merge).
      ...(merge && { merge }),
      ruleName: rule.name,
      ruleDescription: rule.description,
      record: classified.record,
      outputs,
      logSource: classified.schema.name,
      logType: classified.schema.parser,
      severity: rule.severity,
      staged: rule.staging !== undefined,
      context: context === NO_CONTEXT ? {} : context,
      publishers: rule.publishers ? Object.fromEntries(outputs.map((output) => [output, publishersFor(rule.publishers!, output)])) : {},
      cluster: this.source.cluster ?? '',
      sourceService: this.source.service ?? '',
      sourceEntity: this.source.entity ?? '',
    });
  }

  /** The key the rule's dedup function gives the record; undefined (the rule's name is used) when it has none, throws or returns no text, which is reported. */
  #dedupKey(rule: LoadedRule, record: Record<string, unknown>, context: RuleContext, position: RecordPosition): string | undefined {
    const dedup = rule.noise?.dedup as ((record: Record<string, unknown>, context: RuleContext) => unknown) | undefined;
    if (!dedup) return undefined;
    let key: unknown;
    try {
      key = dedup(record, context);
    } catch (error) {
      this.#ruleError('rule-error', rule, position, `dedup threw ${describeThrown(error)}; the alert is counted under the rule's name`);
      return undefined;
    }
    if (typeof key === 'string' && key !== '') return key;
    this.#ruleError('rule-error', rule, position, `dedup returned ${describeValue(key)}, not a non-empty string; the alert is counted under the rule's name`);
    return undefined;
  }

  /** Static outputs, then each dynamic output's, without repeats; unconfigured ones are reported and left out. */
  #withDynamicOutputs(rule: LoadedRule, record: Record<string, unknown>, context: RuleContext, position: RecordPosition): string[] {
    const outputs = new Set(rule.outputs);
    for (const dynamic of rule.dynamicOutputs) {
      const name = dynamic.name || 'a dynamic output';
      let returned: unknown;
      try {
        returned = dynamic(record, context);
      } catch (error) {
        this.#ruleError('dynamic-output-error', rule, position, `${name} threw ${describeThrown(error)}`);
        continue;
      }
      if (returned === null || returned === undefined) continue;
      const list: unknown[] = Array.isArray(returned) ? returned : [returned];
      for (const output of list) {
        if (typeof output === 'string' && this.#configured.has(output)) outputs.add(output);
        else {
          const what = typeof output === 'string' ? `'${output}', which is not configured in conf/outputs.json` : `${describeValue(output)}, not an output name`;
          this.#ruleError('dynamic-output-error', rule, position, `${name} returned ${what}`);
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

/** What a rule threw, with the fix when it tried to change its record. */
function describeThrown(error: unknown): string {
  const described = describeError(error);
  return isReadOnlyWrite(error) ? `${described} (records are read-only, shared by every rule: copy what you change, e.g. { ...rec })` : described;
}

/** Why a value other than true or false is a rule error, and what to write instead. */
function misreturned(fired: unknown): string {
  if (types.isPromise(fired)) {
    // Its rejection, if any, is this rule's problem, already reported: it must not crash the process.
    Promise.prototype.then.call(fired, undefined, () => {});
    return 'returned a Promise; rules must be synchronous and return true or false';
  }
  if (fired === undefined) {
    return 'returned undefined; rules return true or false (a missing return? an expression such as rec.a && rec.a.b can end in undefined: compare with ===, or wrap it in Boolean(...))';
  }
  return `returned ${describeValue(fired)}; rules return true or false`;
}
