import { describe, expect, it } from 'vitest';
import { healthOf } from '../../src/serve/health.ts';

const NOW = Date.parse('2024-05-14T09:12:44Z');
const MINUTE_MS = 60_000;

describe('healthOf', () => {
  it('is ok with nothing pending, or pending for less than degradedPendingMs', () => {
    expect(healthOf({}, NOW, 15 * MINUTE_MS)).toEqual({ status: 'ok', pending: 0, dead_letters: 0, problems: [], outputs: {} });
    const recent = healthOf({ 'slack:sec-alerts': { pending: 3, failed: 0, oldestPendingAt: NOW - 2 * MINUTE_MS } }, NOW, 15 * MINUTE_MS);
    expect(recent).toMatchObject({ status: 'ok', pending: 3, outputs: { 'slack:sec-alerts': { pending: 3, dead_letters: 0, oldest_pending_age_seconds: 120 } } });
  });

  it('is degraded by a delivery pending longer than degradedPendingMs, naming the output and the age', () => {
    const health = healthOf({ 'pagerduty:oncall': { pending: 1, failed: 0, oldestPendingAt: NOW - 20 * MINUTE_MS } }, NOW, 15 * MINUTE_MS);
    expect(health.status).toBe('degraded');
    expect(health.problems).toEqual(['pagerduty:oncall: a delivery has been pending for 20 min (serve.degradedPendingMs is 15 min)']);
  });

  it('is degraded by any dead letter, with counts per output', () => {
    const health = healthOf({ 'slack:sec-alerts': { pending: 0, failed: 1 }, 'aws-s3:audit': { pending: 2, failed: 0, oldestPendingAt: NOW } }, NOW, 15 * MINUTE_MS);
    expect(health).toMatchObject({ status: 'degraded', pending: 2, dead_letters: 1 });
    expect(health.problems).toHaveLength(1);
    expect(health.problems[0]).toMatch(/^slack:sec-alerts: 1 dead letter \(/);
  });
});
