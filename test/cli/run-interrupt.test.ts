import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, streamalert } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { duoRecord, SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';

if (!hasTmux && process.env.CI) throw new Error('tmux is needed for the terminal tests (apt-get install tmux)');

describe.skipIf(!hasTmux)('streamalert run at a terminal, waiting for retries', () => {
  let slack: LoopbackReceiver;
  let terminal: Terminal | undefined;
  beforeAll(async () => {
    // Slack asks to wait five minutes: the run has to wait for the retry.
    slack = (await LoopbackReceiver.start()).respond(() => ({ status: 429, headers: { 'retry-after': '300' }, body: 'rate_limited' }));
  });
  afterEach(() => terminal?.close());
  afterAll(() => slack.close());

  it('shows the retry phase, and on Ctrl-C says what stays pending and what delivers it, exit 130', async () => {
    const env = isolatedEnv();
    const dir = tempProject({
      ...SCHEMAS,
      'rules/fraud.ts': "import { rule } from 'streamalert';\nexport const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');\n",
    });
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T0/B0/x` }) });
    expect(configured.status, configured.stderr).toBe(0);
    writeFileSync(join(dir, 'fraud.ndjson'), `${JSON.stringify(duoRecord())}\n`);

    terminal = Terminal.start(`node ${BIN} --project ${dir} run --input fraud.ndjson --max-wait 3600`, { cwd: dir, env });
    await terminal.waitFor(/waiting for retries: 1 delivery pending, next attempt in \d+ s \(Ctrl-C stops waiting; they stay stored\)/);
    terminal.press('C-c');

    expect(await terminal.exitCode()).toBe(130);
    const screen = terminal.screen();
    expect(screen).toMatch(/slack:sec-alerts +0 delivered, 1 pending \(stored; retried by the next run or 'streamalert alerts retry'\)/);
    expect(screen).toContain("error: cancelled while waiting for retries: 1 delivery stays pending (stored); 'streamalert alerts retry' or the next run delivers it");

    const pending = streamalert(['--project', dir, 'alerts', 'list', '--status', 'pending', '--json'], { env });
    expect(pending.status, pending.stderr).toBe(0);
    expect(JSON.parse(pending.stdout)).toHaveLength(1);
  });
});
