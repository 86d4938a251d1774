import type { Alert } from '../alerts/alert.ts';
import { Classifier } from '../classifier/classifier.ts';
import type { LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { configuredOutputs, type OutputsConfig, type Project } from '../config/project.ts';
import { isDeeperThan, MAX_RECORD_DEPTH } from '../input/depth.ts';
import type { InputRecord } from '../input/reader.ts';
import { REJECTIONS, type Rejection } from '../input/splitters.ts';
import type { Enrichment } from '../lookup-tables/enrichment.ts';
import { RulesEngine, type AlertIds, type AlertSource } from '../rules/engine.ts';
import type { LoadedRule } from '../rules/loader.ts';
import { bump, formatPosition, MAX_REASONS, newStats, stderrEvents, type PipelineEvent, type PipelineStats } from './events.ts';
import { loadDetection } from './load.ts';
import type { Routing } from '../routing/routing.ts';

export interface PipelineOptions {
  /** Narrows classification: a log type (`cloudtrail:events`) or a source (`cloudtrail`). */
  readonly logType?: string;
  /** Stamped on alerts as cluster, source_service, source_entity. */
  readonly source?: AlertSource;
  /** Told about each unclassified record and each rule error; default: a line on stderr (capped). */
  readonly onEvent?: (event: PipelineEvent) => void;
}

export interface PipelineParts extends PipelineOptions {
  readonly schemas: readonly LogSchema[];
  readonly rules: readonly LoadedRule[];
  readonly outputs: OutputsConfig;
  /** What did not load (and is disabled), for the summary. */
  readonly problems?: readonly LoadProblem[];
  /** Lookup tables and threat intel, made ready by prepare() (from loadDetection). */
  readonly enrichment?: Enrichment;
  /** Outputs by severity and each output's minimum severity (from conf/, loadDetection). */
  readonly routing?: Routing;
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);

/**
 * Records in, alerts out: the classifier and the rules engine of one run, with its counters.
 * It does not store or deliver alerts; the caller does, with `publish` from
 * src/publishers/publish.ts as deliver()'s Publish hook.
 *
 * @example
 *   const pipeline = await Pipeline.load(loadProject(dir), { logType: 'cloudtrail' });
 *   for await (const item of readRecords(openInput('events.ndjson'))) {
 *     for (const alert of pipeline.processInput(item)) await store(alert);
 *   }
 *   console.log(pipeline.stats);
 */
export class Pipeline {
  readonly stats: PipelineStats = newStats();
  /** The input being read (a file name), named in the events of its records; set per input by the caller. */
  input: string | undefined;
  /** Where the input comes from, stamped on its alerts (see alertSource); set per input by the caller. */
  get source(): AlertSource {
    return this.engine.source;
  }
  set source(source: AlertSource) {
    this.engine.source = source;
  }
  /** Ids for the alerts of the input being read, stable across its redeliveries (see AlertIds); set per input by the caller. */
  get alertIds(): AlertIds | undefined {
    return this.engine.alertIds;
  }
  set alertIds(ids: AlertIds | undefined) {
    this.engine.alertIds = ids;
  }
  readonly rules: readonly LoadedRule[];
  readonly problems: readonly LoadProblem[];
  readonly classifier: Classifier;
  readonly engine: RulesEngine;
  readonly #onEvent: (event: PipelineEvent) => void;
  readonly #enrichment: Enrichment | undefined;

  /** Loads conf/schemas and the rules of a project (see loadDetection: problems disable what they name) and builds the pipeline. */
  static async load(project: Project, options: PipelineOptions = {}): Promise<Pipeline> {
    return new Pipeline({ ...options, ...(await loadDetection(project)), outputs: project.outputs });
  }

  constructor(parts: PipelineParts) {
    this.rules = parts.rules;
    this.problems = parts.problems ?? [];
    this.classifier = new Classifier(parts.schemas, parts.logType);
    this.#onEvent = parts.onEvent ?? stderrEvents();
    this.#enrichment = parts.enrichment;
    const configured = new Set(configuredOutputs(parts.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
    this.engine = new RulesEngine(parts.rules, {
      configuredOutputs: configured,
      onEvent: this.#onEvent,
      stats: this.stats,
      ...(parts.source && { source: parts.source }),
      ...(parts.routing && { routing: parts.routing }),
    });
  }

  /**
   * Before processBatch(items): re-reads the lookup tables whose cache time has passed (the first
   * call reads those from AWS) and, with a DynamoDB IOC table, looks up the batch's values, so
   * that rules read them synchronously. Never throws: a failed read is warned about and the data
   * already held stays in use (docs/lookup-tables.md).
   *
   * @example
   *   await pipeline.prepare(batch);
   *   const alerts = pipeline.processBatch(batch);
   */
  async prepare(items: readonly InputRecord[]): Promise<void> {
    await this.#enrichment?.prepare(items, this.classifier);
  }

  /**
   * One item of readRecords(): a rejected one (not JSON, too large, too deep) is counted as
   * unreadable and as unclassified (under its kind of rejection in the summary, e.g.
   * 'not valid JSON'), and reported with the reader's message, which names its place.
   */
  processInput(item: InputRecord): readonly Alert[] {
    if (item.error === undefined) return this.#process(item.value, item.ordinal);
    return this.#unreadable(item.ordinal, item.error, item.rejection);
  }

  /**
   * A batch of readRecordBatches(), each item as processInput takes it, with the rules run over
   * the whole batch at once: the watchdog that stops a rule that never returns costs about 80 µs
   * a start (RulesEngine.evaluateBatch), so `run`, `serve` and the Lambda pass batches.
   *
   * @example
   *   for await (const batch of readRecordBatches(openInput('events.ndjson'))) await store.save(pipeline.processBatch(batch));
   */
  processBatch(items: readonly InputRecord[]): readonly Alert[] {
    return this.engine.collect(() => {
      for (const item of items) this.processInput(item);
    });
  }

  /**
   * Classifies one payload and runs the rules on each record it holds; returns the alerts raised.
   * A payload nested deeper than MAX_RECORD_DEPTH is rejected as the reader would reject it.
   */
  process(payload: unknown, ordinal = this.stats.read + 1): readonly Alert[] {
    if (isDeeperThan(payload, MAX_RECORD_DEPTH)) {
      const where = formatPosition({ ordinal, index: 0, of: 1, input: this.input });
      return this.#unreadable(ordinal, `${where} nests objects or lists deeper than ${MAX_RECORD_DEPTH} levels: skipped`, REJECTIONS.tooDeep);
    }
    return this.#process(payload, ordinal);
  }

  /** process() for a payload whose depth is known to be within bounds (the reader checked it). */
  #process(payload: unknown, ordinal: number): readonly Alert[] {
    const stats = this.stats;
    stats.read++;
    const { classified, unclassified } = this.classifier.classify(payload);
    const of = classified.length + unclassified.length;
    stats.records += of;
    for (const miss of unclassified) this.#unclassified(ordinal, miss.index, of, miss.reason);
    if (classified.length === 1) {
      // The common case, without the array below.
      const only = classified[0]!;
      stats.classified++;
      bump(stats.classifiedByLogType, only.schema.name);
      return this.engine.evaluate(only, { ordinal, index: only.index, of, input: this.input });
    }
    let alerts: Alert[] | undefined;
    for (const record of classified) {
      stats.classified++;
      bump(stats.classifiedByLogType, record.schema.name);
      const raised = this.engine.evaluate(record, { ordinal, index: record.index, of, input: this.input });
      if (raised.length > 0) (alerts ??= []).push(...raised);
    }
    return alerts ?? NO_ALERTS;
  }

  #unreadable(ordinal: number, error: string, rejection: Rejection): readonly Alert[] {
    this.stats.read++;
    this.stats.records++;
    this.stats.unreadable++;
    this.stats.unclassified++;
    bump(this.stats.unclassifiedByReason, rejection, MAX_REASONS);
    this.#onEvent({ kind: 'rejected', position: { ordinal, index: 0, of: 1, input: this.input }, reason: error });
    return NO_ALERTS;
  }

  #unclassified(ordinal: number, index: number, of: number, reason: string): void {
    this.stats.unclassified++;
    bump(this.stats.unclassifiedByReason, reason, MAX_REASONS);
    this.#onEvent({ kind: 'unclassified', position: { ordinal, index, of, input: this.input }, reason });
  }
}

/**
 * Runs a stream of input records through a pipeline, yielding each alert as it is raised.
 *
 * @example
 *   for await (const alert of processRecords(pipeline, readRecords(openInput('-')))) await store(alert);
 */
export async function* processRecords(pipeline: Pipeline, input: AsyncIterable<InputRecord>): AsyncGenerator<Alert> {
  for await (const item of input) yield* pipeline.processInput(item);
}
