import { DeadlineError } from './errors.ts';

/**
 * An overall time limit on one request or one attempt: `signal` aborts (its reason a
 * DeadlineError) once `ms` have passed, or as soon as `parent` aborts (the attempt's own
 * deadline), whichever comes first. Unlike AbortSignal.timeout, `clear()` stops its timer when
 * the work is done, so thousands of requests a second leave no timers behind for `ms`.
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
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #ms: number;
  readonly #scope: DeadlineError['scope'];
  readonly #parent: AbortSignal | undefined;
  readonly #abortWithParent = () => {
    const reason: unknown = this.#parent?.reason;
    // The attempt's deadline names itself; a parent aborted for any other reason ends the work as if this deadline had passed.
    this.#controller.abort(reason instanceof DeadlineError ? reason : new DeadlineError(this.#scope, this.#ms));
  };

  constructor(ms: number, scope: DeadlineError['scope'], parent?: AbortSignal) {
    this.signal = this.#controller.signal;
    this.#ms = ms;
    this.#scope = scope;
    this.#parent = parent;
    // Unreferenced: a deadline alone never keeps a process alive; the work it bounds does.
    this.#timer = setTimeout(() => this.#controller.abort(new DeadlineError(scope, ms)), ms).unref();
    if (parent?.aborted) this.#abortWithParent();
    else parent?.addEventListener('abort', this.#abortWithParent, { once: true });
  }

  /** The deadline that passed (this one's, or its parent's), or undefined while none has. */
  get passed(): DeadlineError | undefined {
    return this.signal.aborted ? (this.signal.reason as DeadlineError) : undefined;
  }

  /** Stops the timer and lets go of the parent: call it once the work is done, however it ended. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#abortWithParent);
  }
}
