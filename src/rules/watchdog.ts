import { createContext, Script, type Context } from 'node:vm';

/** What the script below calls: the work of one guarded run. */
const slot: { work?: () => void } = {};
let context: Context | undefined;
const script = new Script('work()', { filename: 'streamalert:rules-watchdog' });

/**
 * Runs `work` and stops it if it has not returned within `timeoutMs`: true if it finished, false
 * if it was stopped. `vm`'s timeout makes V8 terminate whatever JavaScript is running, a rule's
 * endless loop or runaway regular expression included, and the main thread's rules run at full
 * speed in between. Each call starts a watchdog thread (about 80 µs), so give it batches of
 * records, not one at a time. Cleanup in `work` (finally blocks) is skipped when it is stopped.
 *
 * @example
 *   if (!finishesWithin(1_000, () => evaluateRecords())) reportWhoWasRunning();
 */
export function finishesWithin(timeoutMs: number, work: () => void): boolean {
  context ??= createContext(slot);
  slot.work = work;
  try {
    script.runInContext(context, { timeout: Math.max(1, Math.ceil(timeoutMs)) });
    return true;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw error;
  } finally {
    slot.work = undefined;
  }
}
