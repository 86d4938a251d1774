import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedOutput } from '../../src/delivery/configured-outputs.ts';
import { DeliveryEngine } from '../../src/delivery/engine.ts';
import { deliveryPolicyOf } from '../../src/delivery/policy.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { failed } from '../../src/outputs/result.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

const context = testContext(1000);

describe('the delivery engine over the SQLite store', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.requests.length = 0;
    slack.respond(() => ({ status: 200, body: 'ok' }));
  });

  const errors: string[] = [];

  function setup(policy: object = {}, dir = tempDir()) {
    const store = new SqliteAlertStore(join(dir, 'alerts.db'));
    const output = createOutput('slack', { descriptor: 'sec', values: { url: new Secret(`${slack.url}/hook`) } }, context);
    const load = async (name: string): Promise<LoadedOutput> =>
      name === 'slack:sec' ? { kind: 'ready', name, output } : { kind: 'unavailable', name, result: failed('config', `${name} is not configured`) };
    const engine = new DeliveryEngine(store, load, { policy: deliveryPolicyOf({ baseDelayMs: 5, maxDelayMs: 20, ...policy }), onError: (message) => errors.push(message) });
    return { store, engine };
  }

  it('keeps going when the store cannot record an attempt, and the delivery comes back', async () => {
    const dir = tempDir();
    const { store, engine } = setup({}, dir);
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    await store.save([alert]);
    // A second connection takes the write lock while Slack answers: recording the attempt then
    // fails for real with SQLITE_BUSY once the busy timeout runs out.
    const other = new Database(join(dir, 'alerts.db'));
    slack.respond(() => {
      other.exec('BEGIN IMMEDIATE');
      return { status: 200, body: 'ok' };
    });
    await engine.drain(Date.now() + 100);
    other.exec('COMMIT');
    other.close();
    expect(errors.at(-1)).toContain(`slack:sec: attempt for alert ${alert.id} not recorded (database is locked); it will be retried`);
    expect((await store.list())[0]!.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0 });

    slack.respond(() => ({ status: 200, body: 'ok' }));
    await store.requeue({}, Date.now()); // as when its lease ends
    await engine.drain(Date.now() + 10_000);
    expect((await store.list())[0]!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    store.close();
  });

  it('delivers every stored alert and records it', async () => {
    const { store, engine } = setup();
    const alerts = Array.from({ length: 20 }, () => sampleAlert({ outputs: ['slack:sec'] }));
    await store.save(alerts);
    await engine.drain(Date.now() + 10_000);
    expect(slack.requests).toHaveLength(20);
    expect(engine.tallies.get('slack:sec')).toEqual({ delivered: 20, failed: 0 });
    expect(await store.pendingByOutput()).toEqual({});
    expect((await store.list({ status: 'delivered' })).length).toBe(20);
    store.close();
  });

  it('retries a retryable failure until it is delivered', async () => {
    const { store, engine } = setup();
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    slack.script({ status: 503, body: 'unavailable' }, 'reset');
    await store.save([alert]);
    await engine.drain(Date.now() + 10_000);
    expect(slack.requests).toHaveLength(3);
    const [stored] = await store.list();
    expect(stored!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    store.close();
  });

  it('dead-letters after the retry budget, and at once on a permanent failure', async () => {
    const { store, engine } = setup({ maxAttempts: 3 });
    slack.respond(() => ({ status: 500, body: 'rollup_error' }));
    const flaky = sampleAlert({ outputs: ['slack:sec'] });
    const unknown = sampleAlert({ outputs: ['pagerduty:gone'] });
    await store.save([flaky, unknown]);
    await engine.drain(Date.now() + 10_000);

    expect(slack.requests).toHaveLength(3);
    const failedDeliveries = (await store.list({ status: 'failed' })).flatMap((s) => s.deliveries);
    expect(failedDeliveries.map((d) => [d.output, d.attempts, d.lastResult])).toEqual(
      expect.arrayContaining([
        ['slack:sec', 3, expect.stringContaining('retry server_error')],
        ['pagerduty:gone', 1, 'failed config: pagerduty:gone is not configured'],
      ]),
    );
    expect(engine.tallies.get('slack:sec')).toMatchObject({ delivered: 0, failed: 1 });
    store.close();
  });

  it("schedules the next attempt after the server's Retry-After, and leaves it stored past the deadline", async () => {
    const { store, engine } = setup();
    slack.script({ status: 429, headers: { 'retry-after': '120' }, body: 'rate_limited' });
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    await store.save([alert]);
    const before = Date.now();
    await engine.drain(Date.now() + 2_000);

    expect(slack.requests).toHaveLength(1);
    const [delivery] = (await store.list())[0]!.deliveries;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery!.nextAttemptAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    expect(engine.tallies.get('slack:sec')?.lastProblem).toContain('retrying, rate_limited');
    store.close();
  });
});
