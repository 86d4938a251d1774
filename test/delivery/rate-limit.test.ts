import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import type { LoadedOutput } from '../../src/delivery/configured-outputs.ts';
import { DeliveryEngine } from '../../src/delivery/engine.ts';
import { deliveryPolicyOf } from '../../src/delivery/policy.ts';
import { RateLimiter } from '../../src/delivery/rate-limit.ts';
import { OutputConfigError } from '../../src/outputs/errors.ts';
import { OutputBase, type Publication } from '../../src/outputs/output.ts';
import { createOutput, descriptorProperty, output, unregister } from '../../src/outputs/registry.ts';
import { delivered, type DispatchResult } from '../../src/outputs/result.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const context = testContext();

/** A service that declares a rate (2 per second, bursts of 3) and notes when each send was made. */
@output
class TimedOutput extends OutputBase {
  static override readonly service = 'test-timed';
  static override readonly properties = { descriptor: descriptorProperty('Timed', 'x') };
  static override readonly limits = { message: { max: 1000, unit: 'bytes', over: 'failed' }, rate: { perSecond: 2, burst: 3 } } as const;
  readonly sentAt: number[] = [];
  async dispatch(_alert: Alert, _publication: Publication): Promise<DispatchResult> {
    this.sentAt.push(Date.now());
    return delivered();
  }
}
afterAll(() => unregister(TimedOutput.service));

const timed = (values: Record<string, string> = {}) => createOutput('test-timed', { descriptor: 'x', values }, context) as TimedOutput;

describe('the rate limiter (token buckets on a given clock)', () => {
  it('allows a burst, then the sustained rate, and owes a token only within the wait it is allowed', () => {
    const limiter = new RateLimiter();
    limiter.learn('a', { perSecond: 2, burst: 3 }, 0);
    expect(limiter.allowances(0)).toEqual(new Map([['a', 3]]));
    expect([0, 0, 0].map(() => limiter.reserve('a', 0, 0))).toEqual([0, 0, 0]);
    expect(limiter.reserve('a', 0, 100)).toBeUndefined();
    expect(limiter.msUntilNextToken(0)).toBe(500);
    expect(limiter.reserve('a', 0, 500)).toBe(500);
    expect(limiter.allowances(1_000)).toEqual(new Map([['a', 1]]));
    expect(limiter.allowances(60_000)).toEqual(new Map([['a', 3]]));
    expect(limiter.reserve('unlimited', 0, 0)).toBe(0);
  });

  it('starts a new bucket when the limit changes, and forgets an output whose limit is lifted', () => {
    const limiter = new RateLimiter();
    limiter.learn('a', { perSecond: 1, burst: 1 }, 0);
    limiter.reserve('a', 0, 0);
    limiter.learn('a', { perSecond: 1, burst: 1 }, 0);
    expect(limiter.allowances(0).get('a')).toBe(0);
    limiter.learn('a', { perSecond: 5, burst: 5 }, 0);
    expect(limiter.allowances(0).get('a')).toBe(5);
    limiter.learn('a', undefined, 0);
    expect(limiter.allowances(0).size).toBe(0);
  });
});

describe('an output rate', () => {
  it("is the service's declared rate, or the ratePerSecond of its settings (0: none)", () => {
    expect(timed().rateLimit).toEqual({ perSecond: 2, burst: 3 });
    expect(timed({ ratePerSecond: '0.5' }).rateLimit).toEqual({ perSecond: 0.5, burst: 3 });
    expect(timed({ ratePerSecond: '0' }).rateLimit).toBeUndefined();
  });

  it('must be a number, said by name', () => {
    expect(() => timed({ ratePerSecond: 'fast' })).toThrow(OutputConfigError);
    expect(() => timed({ ratePerSecond: '-1' })).toThrow('test-timed:x: ratePerSecond in conf/output_settings.json must be a number of sends per second from 0 (no limit) to 100000, e.g. "0.5"');
  });
});

describe('the delivery engine with a rate-limited output', () => {
  it('keeps to the rate: a burst of alerts waits in the store and goes out no faster than the bucket allows', async () => {
    const store = new SqliteAlertStore(join(tempDir(), 'alerts.db'));
    const output = timed();
    const load = async (name: string): Promise<LoadedOutput> => ({ kind: 'ready', name, output });
    const engine = new DeliveryEngine(store, load, { policy: deliveryPolicyOf({}), onError: (message) => expect.fail(message) });
    const alerts = Array.from({ length: 9 }, () => sampleAlert({ outputs: ['test-timed:x'] }));
    await store.save(alerts);
    const started = Date.now();
    await engine.drain(started + 120_000);

    expect(await store.backlog()).toEqual({});
    expect(output.sentAt).toHaveLength(9);
    // However slow the machine, sends only spread out: between any two, no more were made than
    // the bucket held (3) plus what refilled in between (2 a second), the second one included.
    const sent = [...output.sentAt].sort((a, b) => a - b);
    for (let i = 0; i < sent.length; i++) {
      for (let j = i + 1; j < sent.length; j++) expect(j - i + 1).toBeLessThanOrEqual(3 + Math.floor(((sent[j]! - sent[i]!) * 2) / 1000) + 1);
    }
    // Each delivery took one attempt: none was claimed and then held back.
    for (const alert of alerts) expect((await store.get(alert.id))!.deliveries[0]!.attempts).toBe(1);
    store.close();
  });
});
