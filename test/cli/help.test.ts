import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { streamalert } from '../support/cli.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** Every runnable command: the leaves of the command tree. */
function leafCommands(command: Command, path: string[] = []): { path: string; command: Command }[] {
  const children = command.commands.filter((child) => child.name() !== 'help');
  if (children.length === 0) return [{ path: path.join(' '), command }];
  return children.flatMap((child) => leafCommands(child, [...path, child.name()]));
}

const commands = leafCommands(await buildProgram());

describe('the CLI help', () => {
  it('covers the commands of the design', () => {
    expect(commands.map((c) => c.path)).toEqual(
      expect.arrayContaining(['init', 'output new', 'output list', 'output get', 'output delete', 'output test', 'output services', 'rules test', 'run', 'secrets rotate', 'serve', 'token create', 'token list', 'token revoke']),
    );
  });

  it.each(commands.map((c) => [c.path, c.command] as const))('%s: --help shows an example and --project', (path, command) => {
    let help = '';
    command.configureOutput({ writeOut: (text) => (help += text) });
    command.outputHelp();
    expect(help).toMatch(/Examples?:\n\s+\$ streamalert /);
    expect(help).toContain('--project <dir>');
    expect(path.length).toBeGreaterThan(0);
  });
});

describe('the CLI help, as a user asks for it', () => {
  it.each([[[]], [['output']], [['rules']], [['alerts']], [['secrets']], [['store']], [['token']]])('streamalert %j --help shows examples of what to type', (group) => {
    const run = streamalert([...group, '--help'], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`\\nExamples?:\\n(  \\$ streamalert ${['', ...group].join(' ').trim()}.*\\n)+`));
  });

  it('output test --help warns that a test to a paging service pages whoever is on call', () => {
    const run = streamalert(['output', 'test', '--help'], { env: isolatedEnv() });
    expect(run.stdout).toContain('The test alert is a real one: to PagerDuty (or any paging service, such as Opsgenie) it pages\nwhoever is on call.');
  });
});
