import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Deadline } from '../../src/outputs/deadline.ts';
import { DeadlineError } from '../../src/outputs/errors.ts';

/** Two deadlines of `ms` made in the same slot (tried again if a slot boundary fell between them). */
function twoInOneSlot(ms: number): [Deadline, Deadline] {
  for (;;) {
    const pair: [Deadline, Deadline] = [new Deadline(ms, 'request'), new Deadline(ms, 'request')];
    if (pair[0].signal === pair[1].signal) return pair;
    for (const deadline of pair) deadline.clear();
  }
}

describe('deadlines', () => {
  it('pass at their time or later, never earlier, with the scope and duration in the reason', async () => {
    const started = Date.now();
    const deadline = new Deadline(40, 'request');
    await once(deadline.signal, 'abort');
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(deadline.passed).toBeInstanceOf(DeadlineError);
    expect(deadline.passed!.message).toBe('did not answer within 40 ms');
    deadline.clear();
  });

  it('ending in the same slot share one signal; one cleared leaves the other running to its end', async () => {
    const [first, second] = twoInOneSlot(60);
    first.clear();
    await once(second.signal, 'abort');
    expect(second.passed?.scope).toBe('request');
    second.clear();
  });

  it('give their slot back once all are cleared: a deadline made next gets a fresh signal, never one aborted or about to be', () => {
    const [first, second] = twoInOneSlot(100_000);
    first.clear();
    second.clear();
    const next = new Deadline(100_000, 'request');
    expect(next.signal).not.toBe(first.signal);
    expect(next.signal.aborted).toBe(false);
    next.clear();
  });

  it("end with their parent, taking the attempt's deadline as their reason", async () => {
    const attempt = new Deadline(30, 'attempt');
    const request = new Deadline(100_000, 'request', attempt.signal);
    await once(request.signal, 'abort');
    expect(request.passed).toBe(attempt.passed);
    expect(request.passed!.message).toBe("did not answer within the attempt's deadline of 30 ms");
    request.clear();
    attempt.clear();
  });

  it('shared by many requests in flight raise no listener-leak warning (each request listens on the shared signal)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const [first, second] = twoInOneSlot(100_000);
      const listeners = Array.from({ length: 64 }, () => () => undefined);
      for (const listener of listeners) first.signal.addEventListener('abort', listener);
      // Node emits the warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      for (const listener of listeners) first.signal.removeEventListener('abort', listener);
      first.clear();
      second.clear();
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('made under a parent that has already ended, have ended too', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    const deadline = new Deadline(100_000, 'request', parent.signal);
    expect(deadline.passed?.message).toBe('did not answer within 100000 ms');
    deadline.clear();
  });
});
