import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../alerts/alert.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { mergedAlert } from './merged-alert.ts';
import { mergeSettingsOf } from './settings.ts';

/** How often a merger looks for windows that fell due: a window closes at most this late. */
export const MERGE_TICK_MS = 1_000;

export interface MergerOptions {
  /** Told when windows closed: their merged alerts wait in the store, to be delivered now (the engine's pump). */
  onMerged?: (merged: readonly Alert[]) => void;
  /** Hears about a failed look (the store locked, throttled): the next tick tries again. */
  onError: (message: string) => void;
}

/**
 * StreamAlert's alert merger, beside the delivery engine: closes the merge windows that fell due
 * (the store makes each merged alert and its deliveries once, however many processes try) and
 * hands them to delivery. `start` looks every second until `stop`.
 *
 * @example
 *   const merger = new Merger(store, { onMerged: () => void engine.pump(), onError: console.error });
 *   merger.start();
 */
export class Merger {
  /** Windows this merger closed in its life. */
  merged = 0;
  readonly #store: AlertStore;
  readonly #options: MergerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** The look in progress: looks never overlap. */
  #closing: Promise<Alert[]> | undefined;

  constructor(store: AlertStore, options: MergerOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Closes the windows due by `now`; returns their merged alerts (none when another process closed them). */
  async closeDue(now = Date.now()): Promise<Alert[]> {
    while (this.#closing) await this.#closing.catch(() => undefined);
    // Dedup windows (src/noise) close on the same tick: their update alerts are delivered as merged ones are.
    this.#closing = this.#store.closeDueMerges(now, buildMergedAlert).then(async (merged) => [...merged, ...(await this.#store.closeDueDedups(now))]);
    try {
      const merged = await this.#closing;
      this.merged += merged.length;
      if (merged.length > 0) this.#options.onMerged?.(merged);
      return merged;
    } finally {
      this.#closing = undefined;
    }
  }

  /** Looks every MERGE_TICK_MS in the background; the timer keeps no process alive. */
  start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#closing) return;
      this.closeDue().catch((error: unknown) => this.#options.onError(`could not close due merge windows (${(error as Error).message}); will try again`));
    }, MERGE_TICK_MS).unref();
  }

  /** Stops looking and waits for a look in progress, so none outlives the store. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#closing?.catch(() => undefined);
  }
}

/**
 * The merged alert for a closed window: StreamAlert's merge of its alerts, except that a
 * `mergeSendFirst` window holding only the alert already sent has nothing more to say.
 */
export function buildMergedAlert(members: readonly Alert[]): Alert | undefined {
  if (members.length === 1 && mergeSettingsOf(members[0]!)?.sendFirst) return undefined;
  return mergedAlert(members);
}

/**
 * `engine.drain(deadline)` that also waits for the merge windows closing before `deadline`:
 * each is closed when it falls due and its merged alert delivered; windows closing later stay
 * open in the store (`run` says how many), for serve or a later run.
 *
 * @example
 *   await drainWithMerges(session, Date.now() + maxWaitMs);
 */
export async function drainWithMerges(session: { engine: DeliveryEngine; store: AlertStore; merger: Merger }, deadline: number): Promise<void> {
  for (;;) {
    await session.merger.closeDue();
    const { nextClosesAt } = await session.store.openMerges();
    if (nextClosesAt === undefined || nextClosesAt > deadline) return session.engine.drain(deadline);
    await session.engine.drain(nextClosesAt);
    // Checked at least every second: another process may close the window first.
    await sleep(Math.min(MERGE_TICK_MS, Math.max(100, nextClosesAt - Date.now())));
  }
}
