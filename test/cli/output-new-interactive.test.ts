import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.ts';
import { isolatedEnv, knownSecret, makeProject } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';

if (!hasTmux && process.env.CI) throw new Error('tmux is needed for the prompt tests (apt-get install tmux)');

const DESCRIPTOR_PROMPT = 'Please supply a short and unique descriptor for this Slack integration (ie: channel, group, etc):';
const URL_PROMPT = 'Please supply the full Slack webhook url, including the secret:';

describe.skipIf(!hasTmux)('streamalert output new, at a real terminal', () => {
  let terminal: Terminal | undefined;
  afterEach(() => terminal?.close());

  function start(projectDir: string, env: NodeJS.ProcessEnv) {
    terminal = Terminal.start(`node ${BIN} --project ${projectDir} output new --service slack`, { cwd: projectDir, env });
    return terminal;
  }

  it("asks in the seed's words, re-prompts on a restricted character, and never echoes the secret", async () => {
    const project = makeProject();
    const env = isolatedEnv();
    const secret = `https://hooks.slack.com/services/T0/B0/${knownSecret('typed')}`;
    const term = start(project.dir, env);

    await term.waitFor(DESCRIPTOR_PROMPT);
    term.type('sec alerts');
    term.press('Enter');
    await term.waitFor('descriptor may not contain a space');
    term.press('C-u');
    term.type('sec-alerts');
    term.press('Enter');

    await term.waitFor(URL_PROMPT);
    term.type('https://hooks.slack.com/has space');
    term.press('Enter');
    await term.waitFor('url may not contain a space');
    expect(term.screen()).not.toContain('has space');
    term.press('C-u');
    term.type(secret);
    term.press('Enter');

    expect(await term.exitCode()).toBe(0);
    expect(term.screen()).toContain('Configured slack:sec-alerts');
    expect(term.screen()).not.toContain(secret);
    // Not echoed while typed either: the transcript keeps every redraw of the prompt line, so no
    // pause is needed for an echo to show up before the line is redrawn.
    const transcript = await term.transcript();
    expect(transcript).toContain(URL_PROMPT);
    expect(transcript).not.toContain(secret);
    expect(transcript).not.toContain('hooks.slack.com/services');
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8'))).toEqual({ slack: ['sec-alerts'] });
  });

  it('re-prompts for a descriptor that is already configured, with the seed message', async () => {
    const project = makeProject({}, { slack: ['sec-alerts'] });
    const term = start(project.dir, isolatedEnv());
    await term.waitFor(DESCRIPTOR_PROMPT);
    term.type('sec-alerts');
    term.press('Enter');
    await term.waitFor('This descriptor sec-alerts is already configured for slack. Please select a new and unique descriptor');
    term.press('C-u');
    term.type('beta-rules');
    term.press('Enter');
    await term.waitFor(URL_PROMPT);
    term.press('C-c');
    expect(await term.exitCode()).toBe(130);
  });

  it('re-prompts for a descriptor outputs.json cannot hold, naming the allowed characters', async () => {
    const project = makeProject();
    const term = start(project.dir, isolatedEnv());
    await term.waitFor(DESCRIPTOR_PROMPT);
    term.type('sec/alerts');
    term.press('Enter');
    await term.waitFor("descriptor 'sec/alerts' may use only letters, digits, '-', '_' and '.'");
    term.press('C-u');
    term.type('sec-alerts');
    term.press('Enter');
    await term.waitFor(URL_PROMPT);
    term.press('C-c');
    expect(await term.exitCode()).toBe(130);
  });

  it('leaves nothing written when Ctrl-C interrupts a prompt', async () => {
    const project = makeProject();
    const term = start(project.dir, isolatedEnv());
    await term.waitFor(DESCRIPTOR_PROMPT);
    term.type('sec-alerts');
    term.press('Enter');
    await term.waitFor(URL_PROMPT);
    term.type('https://hooks.slack.com/services/partial');
    term.press('C-c');

    expect(await term.exitCode()).toBe(130);
    expect(term.screen()).toContain('cancelled: nothing was written');
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
    expect(existsSync(join(project.dir, '.streamalert')) ? readdirSync(join(project.dir, '.streamalert'), { recursive: true }) : []).toEqual([]);
  });

  it('leaves nothing written at end of input (Ctrl-D)', async () => {
    const project = makeProject();
    const term = start(project.dir, isolatedEnv());
    await term.waitFor(DESCRIPTOR_PROMPT);
    term.press('C-d');
    expect(await term.exitCode()).toBe(130);
    expect(term.screen()).toContain('cancelled: nothing was written');
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
  });
});
