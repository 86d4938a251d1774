import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '../../src/delivery/events.ts';
import { createLogger, logDeliveries } from '../../src/observability/log.ts';
import { delivered, failed, retry } from '../../src/outputs/result.ts';

/** A real stream standing in for standard error, a terminal or not, that keeps what is written. */
function capture(isTTY: boolean): { destination: PassThrough & { isTTY: boolean }; lines: () => string[] } {
  const destination = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  destination.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  return { destination, lines: () => chunks.join('').split('\n').filter((line) => line !== '') };
}

const OUTCOME: DeliveryOutcome = {
  output: 'slack:sec-alerts',
  alertId: '3f2c9a1e-5b7d-4c1e-9a0f-2b6d8e4c7a10',
  rule: 'duo_fraud',
  attempt: 2,
  result: retry('server_error', 'HTTP 503'),
  durationMs: 12.4,
  outcome: 'retrying',
  retryAt: Date.parse('2024-05-14T09:12:44Z'),
};

describe('createLogger', () => {
  it('writes one JSON object per line, level as a word, when the destination is not a terminal', async () => {
    const { destination, lines } = capture(false);
    createLogger({ destination }).info({ port: 8080 }, 'serve started');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0]!)).toMatchObject({ level: 'info', port: 8080, msg: 'serve started', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('writes readable lines at a terminal', async () => {
    const { destination, lines } = capture(true);
    createLogger({ destination }).warn({ output: 'slack:sec-alerts', attempt: 2 }, 'delivery retrying');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toEqual([expect.stringMatching(/^\d{4}-\S+ WARN  delivery retrying output=slack:sec-alerts attempt=2$/)]);
  });
});

describe('logDeliveries', () => {
  const logged = async (outcome: DeliveryOutcome) => {
    const { destination, lines } = capture(false);
    logDeliveries(createLogger({ destination }))(outcome);
    await new Promise((resolve) => setImmediate(resolve));
    return JSON.parse(lines()[0]!) as Record<string, unknown>;
  };

  it('logs a retry at warn with the reason, the problem and when it is retried', async () => {
    expect(await logged(OUTCOME)).toMatchObject({
      level: 'warn',
      msg: 'delivery retrying',
      output: 'slack:sec-alerts',
      alert_id: OUTCOME.alertId,
      rule: 'duo_fraud',
      attempt: 2,
      duration_ms: 12,
      reason: 'server_error',
      problem: 'HTTP 503',
      retry_at: '2024-05-14T09:12:44.000Z',
    });
  });

  it('logs a delivery at info with its reference, and a dead letter at error', async () => {
    const { retryAt: _retryAt, ...final } = OUTCOME;
    const ok = await logged({ ...final, outcome: 'delivered', result: delivered('INC-1') });
    expect(ok).toMatchObject({ level: 'info', msg: 'delivery delivered', reference: 'INC-1' });
    expect(ok).not.toHaveProperty('reason');
    const dead = await logged({ ...final, outcome: 'dead-lettered', result: failed('client_error', 'HTTP 400 invalid_payload') });
    expect(dead).toMatchObject({ level: 'error', msg: 'delivery dead-lettered', reason: 'client_error' });
    expect(dead).not.toHaveProperty('retry_at');
  });
});
