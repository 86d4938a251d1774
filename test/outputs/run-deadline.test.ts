import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;

/** Answers 500 at once, then a byte of its error page every 100 ms for as long as the client listens: a body that never ends, with no gap undici's bodyTimeout would notice. */
function trickleForever(response: ServerResponse): void {
  response.writeHead(500, { 'content-type': 'text/plain' });
  const timer = setInterval(() => response.write('o'), 100);
  response.on('close', () => clearInterval(timer));
}

describe('streamalert run against a server that trickles its answer for ever', () => {
  let slack: LoopbackReceiver;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    slack.respond(() => trickleForever);
  });
  afterAll(() => slack.close());

  it('returns after --max-wait: one request per recorded attempt, each a timeout, the delivery still pending', async () => {
    // prepare: a one-second request timeout keeps each attempt short
    const env = isolatedEnv();
    const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery: { timeoutMs: 1_000 } } });
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
      env,
      input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T0/B0/XXXXXXXXXXXX` }),
    });
    expect(configured.status, configured.stderr).toBe(0);
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, JSON.stringify(duoRecord()));

    // act: the child is killed after CLI_TIMEOUT_MS (streamalertAsync, test/support/timeouts.ts), a bound only a run that ignores --max-wait reaches
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input, '--max-wait', '2'], { env });

    // assess
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/slack:sec-alerts\s+0 delivered, 1 pending/);
    const [id] = /[0-9a-f-]{36}/.exec(streamalert(['--project', dir, 'alerts', 'list', '--json'], { env }).stdout) ?? [];
    const shown = streamalert(['--project', dir, 'alerts', 'show', id!, '--json'], { env });
    const { deliveries, attempts } = JSON.parse(shown.stdout) as { deliveries: { status: string }[]; attempts: { result: string }[] };
    expect(deliveries).toEqual([expect.objectContaining({ output: 'slack:sec-alerts', status: 'pending' })]);
    expect(attempts.length).toBeGreaterThan(0);
    for (const attempt of attempts) expect(attempt.result).toBe(`retry timeout: ${slack.url} did not answer within 1000 ms`);
    // No attempt outlived its lease: no delivery was claimed twice, so every request is a recorded attempt.
    expect(slack.requests).toHaveLength(attempts.length);
  });
});
