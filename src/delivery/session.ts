import { deliveryPolicyOf } from './policy.ts';
import { DeliveryEngine } from './engine.ts';
import type { DeliveryOutcome } from './events.ts';
import { fallbacksOf } from './fallbacks.ts';
import { OutputCache } from './output-cache.ts';
import type { Project } from '../config/project.ts';
import type { Logger } from '../observability/log.ts';
import { createOutputContext } from '../outputs/context.ts';
import { publish } from '../publishers/publish.ts';
import { CachedCredentials } from '../secrets/cache.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { openAlertStore } from '../store/open.ts';
import { createCredentialStore } from '../secrets/create.ts';
import { buildMergedAlert, Merger } from '../merge/merger.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DeliverySession {
  store: AlertStore;
  engine: DeliveryEngine;
  /** Closes merge windows as they fall due (every second while the session is open), beside the engine. */
  merger: Merger;
  /**
   * Builds the configured outputs ahead of the first attempt (OutputCache.warm), waiting at most
   * `limitMs`: credentials held in AWS may be slow to reach, and the building goes on meanwhile.
   */
  warm(limitMs: number): Promise<void>;
  /** Waits for attempts in flight, then closes the outputs and the store. */
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Where the engine reports problems (serve's JSON logs); default: one line each on standard error. */
  log?: Logger;
  /** The engine delivers only these alerts' deliveries (the alert processor the alerts table's stream triggers). */
  alertIds?: readonly string[];
}

/**
 * What `run`, `serve`, `alerts retry` and the alert processor Lambda deliver with: the project's alert store, a delivery engine
 * over it with the project's policy, fallbacks and dead-letter output, output context and cached credentials. `close` when done.
 * Publishers are looked up by name, so the project's rules must be loaded first.
 */
export async function openDeliverySession(project: Project, options: SessionOptions = {}): Promise<DeliverySession> {
  const policy = deliveryPolicyOf(project.global.delivery);
  const fallbacks = fallbacksOf(project);
  const store = await openAlertStore(project);
  try {
    await store.verify();
    // Retention: at start, then hourly while open (serve). Not on DynamoDB, where pruning would
    // scan the whole table: a TTL on finished items belongs to the deployed stack.
    if (project.global.store.backend === 'sqlite') await pruneOld(store, project);
    // Merge windows that fell due while no process ran close now (the alert processor Lambda's drain
    // delivers them); from here on the merger closes them as they fall due.
    await store.closeDueMerges(Date.now(), buildMergedAlert);
    await store.closeDueDedups(Date.now());
  } catch (error) {
    store.close();
    throw error;
  }
  // The store answers outputs that reply in an earlier message's thread (slack-bot's merged alerts).
  const context = createOutputContext({ timeoutMs: policy.timeoutMs, region: project.global.account.region, projectDir: project.dir, deliveries: store });
  // Notices (a master key created) go to standard error, never standard output.
  const credentials = new CachedCredentials(createCredentialStore(project, { notice: (line) => console.error(line) }));
  const onError = options.log ? (message: string) => options.log!.error(message) : (message: string) => console.error(`streamalert: ${message}`);
  // Follows conf/outputs.json, conf/output_settings.json and the credentials while the session is open (serve).
  const outputs = new OutputCache(project, credentials, context, { onDeleted: (name) => reportDeleted(store, name, onError) });
  const { deadLetterOutput } = project.global;
  const engine = new DeliveryEngine(store, outputs.load, {
    policy,
    publish,
    onError,
    fallbackOf: (name) => fallbacks.get(name),
    ...(deadLetterOutput !== undefined && { deadLetterOutput }),
    ...(options.alertIds && { alertIds: options.alertIds }),
  });
  // With a logger, its caller logs every outcome (logDeliveries); without one, dead letters still get their line.
  if (!options.log) engine.listen(reportDeadLetter);
  const merger = new Merger(store, { onMerged: () => void engine.pump().catch((error: unknown) => onError(`could not claim due deliveries (${(error as Error).message}); will try again`)), onError });
  merger.start();
  const pruner =
    project.global.store.backend === 'sqlite'
      ? setInterval(() => pruneOld(store, project).catch((error: unknown) => console.error(`streamalert: could not prune old alerts (${(error as Error).message})`)), HOUR_MS).unref()
      : undefined;
  return {
    store,
    engine,
    merger,
    async warm(limitMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([outputs.warm(), new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
      clearTimeout(timer);
    },
    async close() {
      clearInterval(pruner);
      await merger.stop();
      // Every attempt in flight finishes and is recorded before the store closes, whatever
      // ended the session (the work done, an error mid-run, a signal).
      try {
        await engine.settle();
        await context.close();
      } finally {
        store.close();
      }
    },
  };
}

function pruneOld(store: AlertStore, project: Project): Promise<number> {
  return store.prune(Date.now() - project.global.store.retentionDays * DAY_MS);
}

/** An output deleted while deliveries wait for it: one error line naming it, how many wait, and what becomes of them. */
async function reportDeleted(store: AlertStore, name: string, onError: (message: string) => void): Promise<void> {
  const waiting = (await store.pendingByOutput())[name] ?? 0;
  if (waiting === 0) return;
  onError(
    `${name} was deleted from conf/outputs.json while ${waiting} deliver${waiting === 1 ? 'y waits' : 'ies wait'} for it; ` +
      `${waiting === 1 ? 'it is' : 'they are'} dead-lettered (reason config). Configure it again and replay with ` +
      `'streamalert alerts retry --failed', or give up on them with 'streamalert alerts discard --output ${name}'`,
  );
}

/** A dead letter is never silent: one error line naming the output, the alert, the rule and why. */
function reportDeadLetter(outcome: DeliveryOutcome): void {
  if (outcome.outcome !== 'dead-lettered' || outcome.result.kind === 'delivered') return;
  const { output, alertId, rule, result } = outcome;
  console.error(
    `streamalert: dead letter: ${output} gave up on alert ${alertId} (rule ${rule}): ${result.reason}: ${result.message}; ` +
      `replay with 'streamalert alerts retry ${alertId}'`,
  );
}
