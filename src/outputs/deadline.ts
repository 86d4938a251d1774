import { setMaxListeners } from 'node:events';
import { DeadlineError } from './errors.ts';

/**
 * Deadlines that end within the same slot share one AbortController and one timer: thousands
 * of requests a second each made one of each, a sixth of what sending an alert cost. A slot is
 * 1% of the deadline, at most 50 ms and at least 1 ms, so a deadline passes at its time or up
 * to one slot later, never earlier.
 */
interface Slot {
  readonly controller: AbortController;
  readonly timer: NodeJS.Timeout;
  /** The deadlines using it that are not cleared yet: the last one to clear stops its timer. */
  users: number;
  readonly release: () => void;
}

const MAX_SLOT_MS = 50;
/** Slots by parent (the attempt's deadline a request's lives within), then by scope, duration and end. */
const slotsByParent = new WeakMap<AbortSignal, Map<string, Slot>>();
const parentless = new Map<string, Slot>();

/**
 * An overall time limit on one request or one attempt: `signal` aborts (its reason a
 * DeadlineError) once `ms` have passed (up to a slot later, see above), or as soon as `parent`
 * aborts (the attempt's own deadline), whichever comes first. Unlike AbortSignal.timeout,
 * `clear()` gives its timer back when the work is done, so thousands of requests a second leave
 * no timers behind for `ms`.
 *
 * @example
 *   const deadline = new Deadline(timeoutMs, 'request', attempt.signal);
 *   try {
 *     await pool.request({ path, method: 'POST', body, signal: deadline.signal });
 *   } finally {
 *     deadline.clear();
 *   }
 */
export class Deadline {
  readonly signal: AbortSignal;
  #slot: Slot | undefined;

  constructor(ms: number, scope: DeadlineError['scope'], parent?: AbortSignal) {
    this.#slot = slotFor(ms, scope, parent);
    this.#slot.users++;
    this.signal = this.#slot.controller.signal;
  }

  /** The deadline that passed (this one's, or its parent's), or undefined while none has. */
  get passed(): DeadlineError | undefined {
    return this.signal.aborted ? (this.signal.reason as DeadlineError) : undefined;
  }

  /** Lets go of the timer (and of the parent): call it once the work is done, however it ended. */
  clear(): void {
    const slot = this.#slot;
    this.#slot = undefined;
    if (slot && --slot.users === 0) slot.release();
  }
}

function slotFor(ms: number, scope: DeadlineError['scope'], parent: AbortSignal | undefined): Slot {
  const slotMs = Math.min(MAX_SLOT_MS, Math.max(1, Math.floor(ms / 100)));
  const now = Date.now();
  const endsAt = Math.ceil((now + ms) / slotMs) * slotMs;
  let slots = parent ? slotsByParent.get(parent) : parentless;
  if (!slots) {
    slots = new Map();
    slotsByParent.set(parent!, slots);
  }
  const key = `${scope} ${ms} ${endsAt}`;
  const found = slots.get(key);
  // One that has passed is never joined (only a wall clock set back could find it): a new one takes its place.
  if (found && !found.controller.signal.aborted) return found;

  const controller = new AbortController();
  // Every request in flight in the slot listens on its signal (undici, the attempt's race), each
  // removing its listener as it ends: many at once is the design, not a leak, so Node's warning
  // past 10 listeners would only alarm users.
  setMaxListeners(0, controller.signal);
  const abortWithParent = () => {
    const reason: unknown = parent?.reason;
    // The attempt's deadline names itself; a parent aborted for any other reason ends the work as if this deadline had passed.
    controller.abort(reason instanceof DeadlineError ? reason : new DeadlineError(scope, ms));
  };
  // Unreferenced: a deadline alone never keeps a process alive; the work it bounds does.
  const timer = setTimeout(() => controller.abort(new DeadlineError(scope, ms)), endsAt - now).unref();
  const owner = slots;
  const slot: Slot = {
    controller,
    timer,
    users: 0,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', abortWithParent);
      if (owner.get(key) === slot) owner.delete(key);
    },
  };
  slots.set(key, slot);
  if (parent?.aborted) abortWithParent();
  else parent?.addEventListener('abort', abortWithParent, { once: true });
  return slot;
}
