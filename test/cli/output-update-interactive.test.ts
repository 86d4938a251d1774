import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { isolatedEnv, knownSecret, makeProject } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';

if (!hasTmux && process.env.CI) throw new Error('tmux is needed for the prompt tests (apt-get install tmux)');

const ROUTING_KEY_PROMPT = 'Please supply the integration key (routing key) of an Events API v2 integration on the PagerDuty service: (keep current)';
const URL_PROMPT = 'Please supply the Events API v2 URL, only to override the default (EU region, proxy):';

describe.skipIf(!hasTmux)('streamalert output new --update, at a real terminal', () => {
  let pagerduty: LoopbackReceiver;
  let terminal: Terminal | undefined;
  beforeAll(async () => {
    pagerduty = await LoopbackReceiver.start();
    pagerduty.respond(() => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'k' } }));
  });
  afterEach(() => terminal?.close());
  afterAll(() => pagerduty.close());

  it('offers each stored value, the secret as "keep current", and Enter keeps them all', async () => {
    const project = makeProject();
    const env = isolatedEnv();
    const routingKey = knownSecret('routingkey');
    const override = `${pagerduty.url}/eu/v2/enqueue`;
    const configured = streamalert(['--project', project.dir, 'output', 'new', '--service', 'pagerduty', '--from-file', '-'], {
      env,
      input: JSON.stringify({ descriptor: 'oncall', routing_key: routingKey, url: override }),
    });
    expect(configured.status, configured.stderr).toBe(0);

    terminal = Terminal.start(`node ${BIN} --project ${project.dir} output new --service pagerduty --descriptor oncall --update`, { cwd: project.dir, env });
    await terminal.waitFor(ROUTING_KEY_PROMPT);
    terminal.press('Enter');
    await terminal.waitFor(`${URL_PROMPT} (${override})`);
    terminal.press('Enter');
    expect(await terminal.exitCode()).toBe(0);
    expect(terminal.screen()).toContain('Configured pagerduty:oncall (updated).');
    expect(await terminal.transcript()).not.toContain(routingKey);

    // Both kept: the test event goes to the override, with the routing key first configured.
    const test = await streamalertAsync(['--project', project.dir, 'output', 'test', 'pagerduty:oncall'], { env });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(pagerduty.requests.at(-1)).toMatchObject({ path: '/eu/v2/enqueue', json: { routing_key: routingKey } });
  });

  it('re-prompts for a descriptor that is not configured: there is nothing to update', async () => {
    const project = makeProject({}, { pagerduty: ['oncall'] });
    terminal = Terminal.start(`node ${BIN} --project ${project.dir} output new --service pagerduty --update`, { cwd: project.dir, env: isolatedEnv() });
    await terminal.waitFor('Please supply a short and unique descriptor for this PagerDuty integration');
    terminal.type('on-call');
    terminal.press('Enter');
    await terminal.waitFor('--update: pagerduty:on-call is not configured, so there is nothing to update (configured PagerDuty outputs: oncall); leave out --update to add it');
    terminal.press('C-c');
    expect(await terminal.exitCode()).toBe(130);
  });
});
