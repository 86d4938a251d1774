import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delivered, retry, type DispatchResult } from '../../src/outputs/result.ts';
import type { AlertStore } from '../../src/store/alert-store.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { tempDir } from '../support/secrets.ts';

// The store queries the web console reads: attempt stats per output, alerts per rule over time,
// a page of alerts before a time, and replaying one output's dead letters.
const T0 = Date.parse('2026-11-28T08:00:00Z');
const HOUR = 3_600_000;

const backends: [string, () => Promise<AlertStore>, boolean][] = [
  ['SQLite', async () => new SqliteAlertStore(join(tempDir(), '.streamalert', 'alerts.db')), false],
  [
    'DynamoDB (moto)',
    async () => {
      const store = new DynamoDbAlertStore(uniqueName('alerts'), 'us-east-1');
      await store.ensureTable();
      return store;
    },
    noMoto,
  ],
];

async function attempt(store: AlertStore, alertId: string, output: string, result: DispatchResult, at: number, durationMs: number, nextAttemptAt?: number): Promise<void> {
  const claimed = (await store.claimDue({ now: at, limit: 100, leaseMs: 0, perOutput: 100 })).find((c) => c.alert.id === alertId && c.output === output);
  if (!claimed) throw new Error(`${output} of ${alertId} is not due at ${at}`);
  expect(await store.record(claimed, { result, at, durationMs, ...(nextAttemptAt !== undefined && { nextAttemptAt }) })).toBe(true);
}

describe.each(backends)('the %s store, for the console', (_name, open, skip) => {
  if (skip) return it.skip('needs moto_server');

  it('counts attempts per output since a time: delivered share, mean and longest duration, the latest result', async () => {
    const store = await open();
    const alert = sampleAlert({ outputs: ['slack:a', 'pagerduty:b'], created: new Date(T0) });
    await store.save([alert]);
    await attempt(store, alert.id, 'slack:a', retry('server_error', 'HTTP 503'), T0 + 1_000, 30, T0 + 2_000);
    await attempt(store, alert.id, 'pagerduty:b', delivered(), T0 + 1_500, 100);
    await attempt(store, alert.id, 'slack:a', delivered('ts-1'), T0 + 2_000, 10);

    expect(await store.attemptStats(T0)).toEqual({
      'pagerduty:b': { attempts: 1, delivered: 1, notDelivered: 0, meanDurationMs: 100, maxDurationMs: 100, lastAt: T0 + 1_500, lastResult: 'delivered' },
      'slack:a': { attempts: 2, delivered: 1, notDelivered: 1, meanDurationMs: 20, maxDurationMs: 30, lastAt: T0 + 2_000, lastResult: 'delivered (ts-1)' },
    });
    expect(await store.attemptStats(T0 + 1_800)).toEqual({
      'slack:a': { attempts: 1, delivered: 1, notDelivered: 0, meanDurationMs: 10, maxDurationMs: 10, lastAt: T0 + 2_000, lastResult: 'delivered (ts-1)' },
    });
    store.close();
  });

  it('counts alerts per rule per bucket since a time, and pages alerts by creation time', async () => {
    const store = await open();
    const at = (ms: number, ruleName = 'a') => sampleAlert({ ruleName, created: new Date(T0 + ms) });
    const alerts = [at(-1), at(0), at(10 * 60_000), at(59 * 60_000, 'b'), at(HOUR + 1, 'b')];
    await store.save(alerts);
    expect(await store.alertCounts(T0, HOUR)).toEqual([
      { rule: 'a', bucketStart: T0, count: 2 },
      { rule: 'b', bucketStart: T0, count: 1 },
      { rule: 'b', bucketStart: T0 + HOUR, count: 1 },
    ]);
    const page = await store.list({ until: T0 + 59 * 60_000, limit: 2 });
    expect(page.map(({ alert }) => alert.id)).toEqual([alerts[2]!.id, alerts[1]!.id]);
    store.close();
  });

  it("replays one output's dead letters only, or one alert's to one output", async () => {
    const store = await open();
    const [first, second] = [sampleAlert({ outputs: ['slack:a', 'slack:b'], created: new Date(T0) }), sampleAlert({ outputs: ['slack:a'], created: new Date(T0 + 1) })];
    await store.save([first, second]);
    for (const [alert, output] of [[first, 'slack:a'], [first, 'slack:b'], [second, 'slack:a']] as const) await attempt(store, alert.id, output, retry('server_error', 'HTTP 503'), T0 + 10, 5);
    expect(Object.values(await store.backlog()).reduce((sum, { failed }) => sum + failed, 0)).toBe(3);

    expect(await store.requeue({ failed: true, output: 'slack:b' }, T0 + 100)).toBe(1);
    expect(await store.backlog()).toMatchObject({ 'slack:a': { pending: 0, failed: 2 }, 'slack:b': { pending: 1, failed: 0 } });
    expect(await store.requeue({ alertId: second.id, output: 'slack:a' }, T0 + 200)).toBe(1);
    expect(await store.backlog()).toMatchObject({ 'slack:a': { pending: 1, failed: 1 } });
    store.close();
  });
});
