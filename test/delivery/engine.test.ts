import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedOutput } from '../../src/delivery/configured-outputs.ts';
import { DEAD_LETTER_RULE } from '../../src/delivery/dead-letter.ts';
import { DeliveryEngine, type EngineOptions } from '../../src/delivery/engine.ts';
import type { DeliveryOutcome } from '../../src/delivery/events.ts';
import { deliveryPolicyOf } from '../../src/delivery/policy.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { failed } from '../../src/outputs/result.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

/** Patient: an answer that is due never times out on a loaded machine, and a hang lasts until the test lets go. */
const context = testContext();

describe('the delivery engine over the SQLite store', () => {
  let slack: LoopbackReceiver;
  let slow: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    slow = await LoopbackReceiver.start();
  });
  afterAll(async () => {
    await slack.close();
    await slow.close();
  });
  beforeEach(() => {
    slack.requests.length = 0;
    slack.respond(() => ({ status: 200, body: 'ok' }));
  });

  const errors: string[] = [];

  /** An engine over a new store, with slack:sec, slack:slow and two file outputs; `policy` over fast test backoff. */
  function setup(policy: object = {}, options: Partial<EngineOptions> = {}, dir = tempDir()) {
    // Gives up on another connection's lock after 500 ms (30 s by default): the test that holds it sees the failure soon.
    const store = new SqliteAlertStore(join(dir, 'alerts.db'), { lockWaitMs: 500 });
    const outputs = {
      // No rate limit (Slack declares one a second): these tests send bursts; test/delivery/rate-limit.test.ts tests the limit.
      'slack:sec': createOutput('slack', { descriptor: 'sec', values: { url: new Secret(`${slack.url}/hook`), ratePerSecond: '0' } }, context),
      'slack:slow': createOutput('slack', { descriptor: 'slow', values: { url: new Secret(`${slow.url}/hook`), ratePerSecond: '0' } }, context),
      'file:audit': createOutput('file', { descriptor: 'audit', values: { path: join(dir, 'audit.jsonl') } }, context),
      'file:dead-letters': createOutput('file', { descriptor: 'dead-letters', values: { path: join(dir, 'dead-letters.jsonl') } }, context),
    };
    const load = async (name: string): Promise<LoadedOutput> => {
      const output = outputs[name as keyof typeof outputs];
      return output ? { kind: 'ready', name, output } : { kind: 'unavailable', name, result: failed('config', `${name} is not configured`) };
    };
    const engine = new DeliveryEngine(store, load, {
      policy: deliveryPolicyOf({ baseDelayMs: 5, maxDelayMs: 20, ...policy }),
      onError: (message) => errors.push(message),
      ...options,
    });
    const outcomes: DeliveryOutcome[] = [];
    engine.listen((outcome) => outcomes.push(outcome));
    const lines = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    return { store, engine, outcomes, lines };
  }

  it('keeps going when the store cannot record an attempt, and the delivery comes back', async () => {
    const dir = tempDir();
    const { store, engine } = setup({}, {}, dir);
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    await store.save([alert]);
    // A second connection takes the write lock while Slack answers: recording the attempt then
    // fails for real with SQLITE_BUSY once the store's lock wait runs out.
    const other = new Database(join(dir, 'alerts.db'));
    slack.respond(() => {
      other.exec('BEGIN IMMEDIATE');
      return { status: 200, body: 'ok' };
    });
    await engine.drain(Date.now() + 100);
    other.exec('COMMIT');
    other.close();
    expect(errors.at(-1)).toContain(`slack:sec: attempt for alert ${alert.id} not recorded (the alert store ${join(dir, 'alerts.db')}: database is locked (SQLITE_BUSY)`);
    expect(errors.at(-1)).toContain('; it will be retried');
    expect((await store.list())[0]!.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0 });

    slack.respond(() => ({ status: 200, body: 'ok' }));
    await store.requeue({}, Date.now()); // as when its lease ends
    await engine.drain(Date.now() + 60_000);
    expect((await store.list())[0]!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    store.close();
  });

  it('delivers every stored alert, records it, and tells its listeners', async () => {
    const { store, engine, outcomes } = setup();
    const alerts = Array.from({ length: 20 }, () => sampleAlert({ outputs: ['slack:sec'] }));
    await store.save(alerts);
    await engine.drain(Date.now() + 60_000);
    expect(slack.requests).toHaveLength(20);
    expect(engine.tallies.get('slack:sec')).toEqual({ delivered: 20, failed: 0 });
    expect(await store.pendingByOutput()).toEqual({});
    expect((await store.list({ status: 'delivered' })).length).toBe(20);
    expect(outcomes).toHaveLength(20);
    expect(outcomes[0]).toMatchObject({ output: 'slack:sec', rule: 'cloudtrail_root_account_usage', attempt: 1, outcome: 'delivered', result: { kind: 'delivered' } });
    store.close();
  });

  it('retries a retryable failure until it is delivered, keeping every attempt', async () => {
    const { store, engine, outcomes } = setup();
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    slack.script({ status: 503, body: 'unavailable' }, 'reset');
    await store.save([alert]);
    await engine.drain(Date.now() + 60_000);
    expect(slack.requests).toHaveLength(3);
    const detail = await store.get(alert.id);
    expect(detail!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(detail!.history.map((h) => h.result.split(':')[0])).toEqual(['retry server_error', 'retry connection', 'delivered']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['retrying', 'retrying', 'delivered']);
    store.close();
  });

  it('dead-letters when the retry budget in time is spent, saying why, and at once on a permanent failure', async () => {
    const { store, engine, outcomes } = setup({ maxAgeMs: 3_000 });
    slack.respond(() => ({ status: 500, body: 'rollup_error' }));
    const flaky = sampleAlert({ outputs: ['slack:sec'] });
    const unknown = sampleAlert({ outputs: ['pagerduty:gone'] });
    await store.save([flaky, unknown]);
    await engine.drain(Date.now() + 60_000);

    expect(slack.requests.length).toBeGreaterThan(1);
    const failedDeliveries = (await store.list({ status: 'failed' })).flatMap((s) => s.deliveries);
    expect(failedDeliveries.map((d) => [d.output, d.lastResult])).toEqual(
      expect.arrayContaining([
        ['slack:sec', expect.stringMatching(/^failed server_error: .*HTTP 500: rollup_error; gave up after \d+ attempts in 3 s \(delivery\.maxAgeMs\)$/)],
        ['pagerduty:gone', 'failed config: pagerduty:gone is not configured'],
      ]),
    );
    expect(engine.tallies.get('slack:sec')).toMatchObject({ delivered: 0, failed: 1 });
    expect(outcomes.filter((o) => o.outcome === 'dead-lettered').map((o) => o.output).sort()).toEqual(['pagerduty:gone', 'slack:sec']);
    store.close();
  });

  it('stops at maxAttempts when one is set', async () => {
    const { store, engine } = setup({ maxAttempts: 3 });
    slack.respond(() => ({ status: 500, body: 'rollup_error' }));
    await store.save([sampleAlert({ outputs: ['slack:sec'] })]);
    await engine.drain(Date.now() + 60_000);
    expect(slack.requests).toHaveLength(3);
    const [delivery] = (await store.list({ status: 'failed' }))[0]!.deliveries;
    expect(delivery!.lastResult).toContain('gave up after 3 attempts (delivery.maxAttempts)');
    store.close();
  });

  it("waits for the server's Retry-After, capped at maxDelayMs, and leaves it stored past the deadline", async () => {
    const { store, engine } = setup({ maxDelayMs: 600_000 });
    slack.script({ status: 429, headers: { 'retry-after': '99999999999' }, body: 'rate_limited' });
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    await store.save([alert]);
    const before = Date.now();
    await engine.drain(Date.now() + 2_000);

    expect(slack.requests).toHaveLength(1);
    const [delivery] = (await store.list())[0]!.deliveries;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery!.nextAttemptAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(delivery!.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(await store.pendingByOutput()).toEqual({ 'slack:sec': 1 });
    expect(engine.tallies.get('slack:sec')?.lastProblem).toContain('retrying, rate_limited');
    store.close();
  });

  it('gives a slow output only its own slots: the others are delivered meanwhile', async () => {
    const { store, engine } = setup({ concurrency: 8, perOutputConcurrency: 2 });
    slow.requests.length = 0;
    slow.respond(() => 'hang');
    await store.save(Array.from({ length: 10 }, () => sampleAlert({ outputs: ['slack:slow'] })));
    await store.save(Array.from({ length: 20 }, () => sampleAlert({ outputs: ['slack:sec'] })));
    void engine.pump();

    await waitUntil(() => slack.requests.length === 20);
    await waitUntil(async () => (await store.pendingByOutput())['slack:sec'] === undefined);
    expect(slow.requests).toHaveLength(2);
    expect(engine.tallies.get('slack:sec')).toMatchObject({ delivered: 20 });
    slow.respond(() => ({ status: 200, body: 'ok' }));
    await slow.close(); // the hung attempts fail (connection reset) and are retried
    await engine.settle();
    slow = await LoopbackReceiver.start();
    store.close();
  });

  it("sends a dead letter to the output's fallback and a notice to the dead-letter output", async () => {
    const { store, engine, lines, outcomes } = setup(
      {},
      { fallbackOf: (name) => (name === 'slack:sec' ? 'file:audit' : undefined), deadLetterOutput: 'file:dead-letters' },
    );
    slack.respond(() => ({ status: 404, body: 'no_service' })); // Slack: the webhook was removed
    const alert = sampleAlert({ outputs: ['slack:sec'] });
    await store.save([alert]);
    await engine.drain(Date.now() + 60_000);

    expect(lines('audit.jsonl')).toEqual([expect.objectContaining({ id: alert.id, rule_name: alert.ruleName })]);
    const [notice] = lines('dead-letters.jsonl');
    expect(notice).toMatchObject({
      rule_name: DEAD_LETTER_RULE,
      record: { alert_id: alert.id, rule_name: alert.ruleName, output: 'slack:sec', attempts: 1, fallback: 'file:audit', reason: expect.stringContaining('not_found') },
    });
    const deliveries = (await store.get(alert.id))!.deliveries;
    expect(deliveries.map((d) => [d.output, d.status])).toEqual([
      ['file:audit', 'delivered'],
      ['slack:sec', 'failed'],
    ]);
    expect(outcomes.map((o) => [o.output, o.outcome])).toEqual(
      expect.arrayContaining([
        ['slack:sec', 'dead-lettered'],
        ['file:audit', 'delivered'],
        ['file:dead-letters', 'delivered'],
      ]),
    );
    store.close();
  });

  it('raises no notice about a notice that could not be delivered', async () => {
    const { store, engine } = setup({}, { deadLetterOutput: 'slack:sec' });
    slack.respond(() => ({ status: 403, body: 'invalid_token' }));
    await store.save([sampleAlert({ outputs: ['slack:sec'] })]);
    await engine.drain(Date.now() + 60_000);
    expect(slack.requests).toHaveLength(2); // the alert, then its notice; no notice of the notice
    expect((await store.list({ status: 'failed' })).map((s) => s.alert.ruleName).sort()).toEqual(['cloudtrail_root_account_usage', DEAD_LETTER_RULE].sort());
    store.close();
  });
});

describe('the default delivery policy', () => {
  it('rides out a receiver that is down for 20 s: every alert delivered, none dead-lettered', { timeout: 240_000 }, async () => {
    const receiver = await LoopbackReceiver.start();
    let up = false;
    receiver.respond(() => (up ? { status: 200, body: 'ok' } : { status: 503, body: 'service unavailable' }));
    const store = new SqliteAlertStore(join(tempDir(), 'alerts.db'));
    const output = createOutput('slack', { descriptor: 'sec', values: { url: new Secret(`${receiver.url}/hook`) } }, context);
    const engine = new DeliveryEngine(store, async (name) => ({ kind: 'ready', name, output }), { policy: deliveryPolicyOf({}), onError: () => {} });
    await store.save(Array.from({ length: 10 }, () => sampleAlert({ outputs: ['slack:sec'] })));

    const outage = setTimeout(() => (up = true), 20_000);
    await engine.drain(Date.now() + 200_000);
    clearTimeout(outage);

    expect(up).toBe(true);
    expect(engine.tallies.get('slack:sec')).toMatchObject({ delivered: 10, failed: 0 });
    expect(await store.backlog()).toEqual({});
    store.close();
    await receiver.close();
  });
});
