import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertProcessor } from '../../src/lambda/handlers.ts';
import { OLDEST_PENDING_METRIC, oldestPendingAgeSeconds } from '../../src/lambda/oldest-pending-metric.ts';
import { DynamoDbAlertStore } from '../../src/store/dynamodb.ts';
import { noMoto, uniqueName } from '../support/moto.ts';
import { sampleAlert } from '../support/outputs.ts';
import { SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const MINUTE = 60_000;

describe('the oldest pending delivery age, from a backlog', () => {
  it('is the age of the earliest queued pending delivery over every output, 0 with none pending or none yet due', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(oldestPendingAgeSeconds({}, now)).toBe(0);
    expect(oldestPendingAgeSeconds({ 'a:1': { pending: 0, failed: 3 } }, now)).toBe(0);
    expect(oldestPendingAgeSeconds({ 'a:1': { pending: 2, failed: 0, oldestPendingAt: now - 90_500 }, 'b:1': { pending: 1, failed: 0, oldestPendingAt: now - 20_000 } }, now)).toBe(90);
    expect(oldestPendingAgeSeconds({ 'a:1': { pending: 1, failed: 0, oldestPendingAt: now + 5_000 } }, now)).toBe(0);
  });
});

/** The embedded-metric-format lines a call wrote to standard output. */
async function metricLinesOf(call: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await call();
  } finally {
    write.mockRestore();
  }
  return written.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.skipIf(noMoto)('the alert sweeper publishes the oldest pending delivery age', () => {
  const saved = { ...process.env };
  const prefix = uniqueName('metric').toLowerCase();
  let store: DynamoDbAlertStore;

  beforeAll(async () => {
    const env = isolatedEnv();
    const dir = tempProject({ ...SCHEMAS, 'conf/global.json': { account: { prefix, region: 'us-east-1' }, store: { backend: 'dynamodb' } }, 'conf/outputs.json': { slack: ['sec-alerts'] } });
    Object.assign(process.env, { STREAMALERT_PROJECT: dir, HOME: env.HOME, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
    store = new DynamoDbAlertStore(`${prefix}_streamalert_alerts`, 'us-east-1');
    await store.ensureTable();
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => {
    store.close();
    process.env = saved;
  });

  it('prints one embedded-metric-format line per invocation: 0 on an empty table', async () => {
    const lines = await metricLinesOf(() => alertProcessor({}, { getRemainingTimeInMillis: () => 60_000 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [{ Namespace: 'StreamAlert', Dimensions: [['Prefix']], Metrics: [{ Name: 'OldestPendingDeliveryAgeSeconds', Unit: 'Seconds' }] }],
      },
      Prefix: prefix,
      OldestPendingDeliveryAgeSeconds: 0,
    });
    expect(OLDEST_PENDING_METRIC).toEqual({ namespace: 'StreamAlert', metricName: 'OldestPendingDeliveryAgeSeconds', dimension: 'Prefix', unit: 'Seconds' });
  });

  it('gives the age of a delivery queued ten minutes ago and still pending (claimed by another worker, not due in this invocation)', async () => {
    const queuedAt = Date.now() - 10 * MINUTE;
    const alert = sampleAlert({ outputs: ['slack:sec-alerts'], created: new Date(queuedAt) });
    await store.save([alert]);
    // Leased for an hour: the sweeper's drain finds nothing due, the delivery stays pending.
    expect(await store.claimDue({ now: Date.now(), limit: 10, leaseMs: 60 * MINUTE, perOutput: 10 })).toHaveLength(1);

    const before = Date.now();
    const lines = await metricLinesOf(() => alertProcessor({}, { getRemainingTimeInMillis: () => 60_000 }));
    const after = Date.now();
    expect(lines).toHaveLength(1);
    const age = lines[0]![OLDEST_PENDING_METRIC.metricName] as number;
    expect(age).toBeGreaterThanOrEqual(Math.floor((before - queuedAt) / 1000));
    expect(age).toBeLessThanOrEqual(Math.ceil((after - queuedAt) / 1000));
    expect((lines[0]!._aws as { Timestamp: number }).Timestamp).toBeGreaterThanOrEqual(before);
  });
});
