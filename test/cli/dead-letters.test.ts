import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_RULE } from '../../src/delivery/dead-letter.ts';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

describe('a receiver that never recovers', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    slack.respond(() => ({ status: 503, body: 'service_unavailable' }));
  });
  afterAll(() => slack.close());

  it('dead-letters past the retry budget: logged, sent to the fallback, noticed, and /healthz is degraded', async () => {
    const env = isolatedEnv();
    const dir = tempProject({
      ...SCHEMAS,
      'rules/duo_fraud.ts': RULE,
      'conf/global.json': { delivery: { maxAgeMs: 4_000, baseDelayMs: 50, maxDelayMs: 200 }, deadLetterOutput: 'file:dead-letters' },
      'conf/outputs.json': { file: ['audit', 'dead-letters'] },
      'conf/output_settings.json': { file: { audit: { path: 'audit.jsonl' }, 'dead-letters': { path: 'dead-letters.jsonl' } } },
    });
    const slackUrl = `${slack.url}/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX`;
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
      env,
      input: JSON.stringify({ descriptor: 'sec-alerts', url: slackUrl }),
    });
    expect(configured.status, configured.stderr).toBe(0);
    // The fallback is an engine setting beside the output's own: kept by `output new --update` too.
    const settingsPath = join(dir, 'conf', 'output_settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    settings.slack = { 'sec-alerts': { fallback: 'file:audit' } };
    writeFileSync(settingsPath, JSON.stringify(settings));
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, JSON.stringify(duoRecord()));

    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    expect(run.status).toBe(1);
    const [id] = /[0-9a-f-]{36}/.exec(run.stderr) ?? [];
    expect(run.stderr).toMatch(
      new RegExp(`streamalert: dead letter: slack:sec-alerts gave up on alert ${id} \\(rule duo_fraud\\): server_error: .*HTTP 503.*gave up after \\d+ attempts in 4 s \\(delivery\\.maxAgeMs\\)`),
    );
    expect(slack.requests.length).toBeGreaterThan(1);

    const lines = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines('audit.jsonl')).toEqual([expect.objectContaining({ id, rule_name: 'duo_fraud' })]);
    expect(lines('dead-letters.jsonl')).toEqual([
      expect.objectContaining({ rule_name: DEAD_LETTER_RULE, record: expect.objectContaining({ alert_id: id, output: 'slack:sec-alerts', fallback: 'file:audit' }) }),
    ]);
    for (const text of [run.stdout, run.stderr, readFileSync(join(dir, 'dead-letters.jsonl'), 'utf8')]) expect(text).not.toContain('XXXXXXXXXXXXXXXXXXXXXXXX');

    const serve = await startServe(dir, env);
    const health = await (await fetch(`${serve.base}/healthz`)).json();
    await serve.stop();
    expect(health).toMatchObject({ status: 'degraded' });
    expect(JSON.stringify(health)).toContain('slack:sec-alerts');
  });

  it('refuses a fallback that is not configured, naming it', () => {
    const dir = tempProject({
      ...SCHEMAS,
      'conf/outputs.json': { file: ['audit'] },
      'conf/output_settings.json': { file: { audit: { path: 'audit.jsonl', fallback: 'aws-s3:archive' } } },
    });
    const retry = streamalert(['--project', dir, 'alerts', 'retry'], { env: isolatedEnv() });
    expect(retry.status).toBe(2);
    expect(retry.stderr).toContain("conf/output_settings.json: the fallback of file:audit, 'aws-s3:archive', is not configured in conf/outputs.json (configured: file:audit)");
  });
});
