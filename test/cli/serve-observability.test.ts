import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, waitUntil } from '../support/cli.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { parsePrometheus, sampleValue, type Exposition } from '../support/prometheus.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, knownSecret } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts', 'slack:broken'] }, (rec) => rec.result === 'fraud');
`;

interface Health {
  status: string;
  pending: number;
  dead_letters: number;
  problems: string[];
  outputs: Record<string, { pending: number; dead_letters: number }>;
}

describe('streamalert serve: health, metrics and logs', () => {
  // The webhook paths are the credentials: they must not show anywhere.
  const secrets = { good: knownSecret('GOODHOOK'), broken: knownSecret('BROKENHOOK') };
  let slack: LoopbackReceiver;
  let serve: RunningServe;
  let token = '';
  let goodAnswered = 0;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const health = async () => (await (await fetch(`${serve.base}/healthz`)).json()) as Health;
  const scrape = async (): Promise<{ text: string; metrics: Exposition }> => {
    const response = await fetch(`${serve.base}/metrics`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    return { text, metrics: parsePrometheus(text) };
  };
  const toGood = () => slack.requests.filter((request) => request.path.includes(secrets.good));
  const toBroken = () => slack.requests.filter((request) => request.path.includes(secrets.broken));

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    // sec-alerts: one 503 (a retry), then 200s. broken: 400 invalid_payload, echoing the path as some servers do: a permanent failure.
    slack.respond((request) => {
      if (request.path.includes(secrets.broken)) return { status: 400, body: `invalid_payload: no hook at ${request.path}` };
      return goodAnswered++ === 0 ? { status: 503, body: 'unavailable' } : { status: 200, body: 'ok' };
    });
    const env = isolatedEnv();
    const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery: { baseDelayMs: 10, maxDelayMs: 50 } } });
    for (const [descriptor, secret] of [['sec-alerts', secrets.good], ['broken', secrets.broken]] as const) {
      const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
        env,
        input: JSON.stringify({ descriptor, url: `${slack.url}/services/T0/B0/${secret}` }),
      });
      expect(configured.status, configured.stderr).toBe(0);
    }
    const created = streamalert(['--project', dir, 'token', 'create', '--name', 'monitor'], { env });
    expect(created.status, created.stderr).toBe(0);
    token = created.stdout.trim();
    serve = await startServe(dir, env);
  });
  afterAll(async () => {
    if (serve) await serve.stop();
    await slack.close();
  });

  it('says ok while nothing is dead-lettered', async () => {
    expect(await health()).toMatchObject({ status: 'ok', pending: 0, dead_letters: 0, problems: [] });
  });

  it('says degraded (still HTTP 200) with counts per output once a delivery is dead-lettered', async () => {
    const body = [duoRecord(), duoRecord({ result: 'success', reason: 'user_approved' }), duoRecord({ user: { name: 'eve@example.com' } })]
      .map((record) => JSON.stringify(record))
      .join('\n');
    const posted = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body, headers: auth() });
    expect(posted.status).toBe(202);
    await waitUntil(async () => {
      const now = await health();
      return now.pending === 0 && now.dead_letters === 2;
    });
    const response = await fetch(`${serve.base}/healthz`);
    expect(response.status).toBe(200);
    const degraded = (await response.json()) as Health;
    expect(degraded).toMatchObject({ status: 'degraded', dead_letters: 2, outputs: { 'slack:broken': { pending: 0, dead_letters: 2 } } });
    expect(degraded.problems.join('\n')).toContain('slack:broken: 2 dead letters');
  });

  it('counts on /metrics what the receiver saw: deliveries by output, outcome and reason, records, alerts, and the backlog', async () => {
    const { metrics } = await scrape();
    const deliveries = (labels: Record<string, string>) => sampleValue(metrics, 'streamalert_deliveries_total', labels);
    expect(metrics.types['streamalert_deliveries_total']).toBe('counter');
    expect(metrics.types['streamalert_delivery_attempt_duration_seconds']).toBe('histogram');
    expect(metrics.types['streamalert_dead_letters']).toBe('gauge');

    expect(deliveries({ output: 'slack:sec-alerts', outcome: 'delivered' })).toBe(toGood().length - 1);
    expect(deliveries({ output: 'slack:sec-alerts', outcome: 'retrying', reason: 'server_error' })).toBe(1);
    expect(deliveries({ output: 'slack:broken', outcome: 'dead-lettered', reason: 'client_error' })).toBe(toBroken().length);
    const counted = metrics.samples.filter((sample) => sample.name === 'streamalert_deliveries_total').reduce((sum, sample) => sum + sample.value, 0);
    expect(counted).toBe(slack.requests.length);
    expect(sampleValue(metrics, 'streamalert_delivery_attempt_duration_seconds_count', { output: 'slack:sec-alerts' })).toBe(toGood().length);

    expect(sampleValue(metrics, 'streamalert_records_read_total', { log_type: 'duo' })).toBe(3);
    expect(sampleValue(metrics, 'streamalert_records_classified_total', { log_type: 'duo:authentication' })).toBe(3);
    expect(sampleValue(metrics, 'streamalert_alerts_total', { rule: 'duo_fraud' })).toBe(2);
    expect(sampleValue(metrics, 'streamalert_dead_letters', { output: 'slack:broken' })).toBe(2);
    expect(sampleValue(metrics, 'streamalert_deliveries_pending', { output: 'slack:sec-alerts' })).toBe(0);
  });

  it('logs one JSON line per delivery outcome, at the outcome\'s level, with what an operator needs', () => {
    const events = serve.output.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const outcomes = events.filter((event) => typeof event.msg === 'string' && event.msg.startsWith('delivery '));
    expect(outcomes).toHaveLength(slack.requests.length);
    expect(outcomes.filter((event) => event.msg === 'delivery delivered').every((event) => event.level === 'info')).toBe(true);
    expect(outcomes.find((event) => event.msg === 'delivery retrying')).toMatchObject({ level: 'warn', output: 'slack:sec-alerts', rule: 'duo_fraud', attempt: 1, reason: 'server_error' });
    expect(outcomes.find((event) => event.msg === 'delivery retrying')).toHaveProperty('retry_at');
    const dead = outcomes.filter((event) => event.msg === 'delivery dead-lettered');
    expect(dead).toHaveLength(2);
    expect(dead[0]).toMatchObject({ level: 'error', output: 'slack:broken', rule: 'duo_fraud', reason: 'client_error' });
    expect(dead[0]).toHaveProperty('alert_id');
    expect(dead[0]).toHaveProperty('duration_ms');
    expect(events.some((event) => event.msg === 'serve started')).toBe(true);
  });

  it('never shows a webhook secret or the token in a log line or in /metrics', async () => {
    const { text } = await scrape();
    expect(toBroken()[0]!.path).toContain(secrets.broken); // the receiver did see them: the scan looks for real values
    expectNoSecrets([secrets.good, secrets.broken, token], serve.output.stdout, serve.output.stderr, text);
  });
});
