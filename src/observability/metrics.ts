import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryListener } from '../delivery/events.ts';
import type { PipelineStats } from '../pipeline/events.ts';
import type { AlertStore, OutputBacklog } from '../store/alert-store.ts';

const PREFIX = 'streamalert_';
/** Attempt latencies from a fast webhook (milliseconds) to one at the request timeout (10 s default). */
const ATTEMPT_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** The `log_type` label of records posted without `?log_type=`. */
const ANY_LOG_TYPE = 'any';

/**
 * What `GET /metrics` shows, in Prometheus text format, every name prefixed `streamalert_`:
 * records and alerts counted as requests are processed, deliveries counted as the engine
 * reports each attempt, and the backlog (pending, oldest pending, dead letters) read from the
 * alert store at each scrape, so that it is true across restarts and processes. Secrets never
 * reach a label: labels are log types, rule names, output names, outcomes and reasons.
 *
 * @example
 *   const metrics = new ServeMetrics(store);
 *   engine.listen(metrics.onDelivery);
 *   metrics.countRecords(pipeline.stats, 'duo');
 *   response.writeHead(200, { 'content-type': metrics.contentType }).end(await metrics.render());
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  readonly #store: AlertStore;
  /** One read of the store per scrape, shared by the gauges (prom-client collects them in parallel). */
  #backlog?: Promise<Record<string, OutputBacklog>>;

  readonly #recordsRead = this.#counter('records_read_total', 'Input records read, malformed ones included, by the log type requested', ['log_type']);
  readonly #recordsClassified = this.#counter('records_classified_total', 'Records classified, by log type', ['log_type']);
  readonly #recordsUnclassified = this.#counter('records_unclassified_total', 'Records that fit no schema or are not JSON, by the log type requested', ['log_type']);
  readonly #alerts = this.#counter('alerts_total', 'Alerts raised and stored, by rule', ['rule']);
  readonly #deliveries = this.#counter('deliveries_total', 'Delivery attempts by output, outcome (delivered, retrying, dead-lettered) and failure reason', ['output', 'outcome', 'reason']);
  readonly #attemptSeconds = new Histogram({
    name: `${PREFIX}delivery_attempt_duration_seconds`,
    help: 'Wall time of one delivery attempt, by output',
    labelNames: ['output'],
    buckets: ATTEMPT_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor(store: AlertStore) {
    this.#store = store;
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.#backlogGauge('deliveries_pending', 'Deliveries waiting for an attempt or a retry, by output', ({ pending }) => pending);
    this.#backlogGauge('dead_letters', 'Dead-lettered deliveries (alerts list --status failed), by output', ({ failed }) => failed);
    this.#backlogGauge('delivery_oldest_pending_age_seconds', 'Age of the oldest pending delivery, by output', ({ oldestPendingAt }) =>
      oldestPendingAt === undefined ? undefined : Math.max(0, (Date.now() - oldestPendingAt) / 1000),
    );
  }

  /** Adds one request's (or run's) pipeline counters; `logType` is the one requested, if any. */
  countRecords(stats: PipelineStats, logType: string | undefined): void {
    const requested = { log_type: logType ?? ANY_LOG_TYPE };
    this.#recordsRead.inc(requested, stats.read);
    this.#recordsUnclassified.inc(requested, stats.unclassified);
    for (const [name, count] of Object.entries(stats.classifiedByLogType)) this.#recordsClassified.inc({ log_type: name }, count);
    for (const [rule, count] of Object.entries(stats.alertsByRule)) this.#alerts.inc({ rule }, count);
  }

  /** Counts one attempt's outcome and times it: give it to `engine.listen`. */
  readonly onDelivery: DeliveryListener = ({ output, outcome, result, durationMs }) => {
    this.#deliveries.inc({ output, outcome, reason: result.kind === 'delivered' ? '' : result.reason });
    this.#attemptSeconds.observe({ output }, durationMs / 1000);
  };

  /** The metrics in Prometheus text format. */
  async render(): Promise<string> {
    this.#backlog = this.#store.backlog();
    try {
      return await this.registry.metrics();
    } finally {
      this.#backlog = undefined;
    }
  }

  #counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name: `${PREFIX}${name}`, help, labelNames, registers: [this.registry] });
  }

  /** A gauge per output, set from the store's backlog at each scrape; outputs with nothing to show drop out. */
  #backlogGauge(name: string, help: string, value: (backlog: OutputBacklog) => number | undefined): void {
    const metrics = this;
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames: ['output'],
      registers: [this.registry],
      async collect() {
        const backlog = await (metrics.#backlog ?? metrics.#store.backlog());
        this.reset();
        for (const [output, entry] of Object.entries(backlog)) {
          const measured = value(entry);
          if (measured !== undefined) this.set({ output }, measured);
        }
      },
    });
  }
}
