import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv, makeProject, tempDir } from '../support/secrets.ts';

function configure(projectDir: string, env: NodeJS.ProcessEnv, service: string, values: object) {
  return streamalert(['--project', projectDir, 'output', 'new', '--service', service, '--from-file', '-'], { env, input: JSON.stringify(values) });
}

describe('output names are read as the user wrote them, never through what every object inherits', () => {
  it('does not count aws-s3:toString as configured', () => {
    const project = makeProject({}, { 'aws-s3': { audit: 'acme-alerts' } });
    const run = streamalert(['--project', project.dir, 'output', 'test', 'aws-s3:toString'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no output aws-s3:toString is configured');
    expect(run.stderr).toContain('Configured: aws-s3:audit');
  });

  it('configures a descriptor named like an inherited property (constructor) as any other', () => {
    const project = makeProject({}, { 'aws-s3': { audit: 'acme-alerts' } });
    const env = isolatedEnv();
    const run = configure(project.dir, env, 'aws-s3', { descriptor: 'constructor', bucket: 'ctor-bucket' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.dir, 'conf', 'outputs.json'), 'utf8'))).toEqual({ 'aws-s3': { audit: 'acme-alerts', constructor: 'ctor-bucket' } });
    const get = streamalert(['--project', project.dir, 'output', 'get', 'aws-s3:constructor'], { env });
    expect(get.status, get.stderr).toBe(0);
    expect(get.stdout).toContain('bucket: ctor-bucket');
  });

  it('refuses __proto__ as a descriptor, saying why, not that it is already configured', () => {
    const project = makeProject();
    const run = streamalert(['--project', project.dir, 'output', 'new', '--service', 'slack', '--descriptor', '__proto__', '--from-file', '-'], {
      env: isolatedEnv(),
      input: JSON.stringify({ url: 'https://hooks.slack.com/services/T/B/X' }),
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("descriptor '__proto__' is reserved");
    expect(run.stderr).not.toContain('already configured');
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
  });

  it('refuses a descriptor outputs.json cannot hold, naming the allowed characters, and stores nothing', () => {
    const project = makeProject();
    const run = configure(project.dir, isolatedEnv(), 'slack', { descriptor: 'sec/alerts', url: 'https://hooks.slack.com/services/T/B/X' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("descriptor 'sec/alerts' may use only letters, digits, '-', '_' and '.'");
    expect(existsSync(join(project.dir, 'conf', 'outputs.json'))).toBe(false);
    expect(existsSync(join(project.dir, '.streamalert', 'secrets'))).toBe(false);
    // The project still loads: nothing half-written broke it.
    expect(streamalert(['--project', project.dir, 'output', 'list', '--json'], { env: isolatedEnv() }).stdout.trim()).toBe('[]');
  });
});

describe('output test file:...', () => {
  it('writes a relative path from the project folder, not from the current directory', () => {
    const project = makeProject();
    const env = isolatedEnv();
    expect(configure(project.dir, env, 'file', { descriptor: 'alerts', path: 'out/alerts.jsonl' }).status).toBe(0);
    const elsewhere = tempDir('streamalert-cwd-');

    const run = streamalert(['--project', project.dir, 'output', 'test', 'file:alerts'], { env, cwd: elsewhere });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(join(project.dir, 'out', 'alerts.jsonl'), 'utf8')).toContain('streamalert_output_test');
    expect(existsSync(join(elsewhere, 'out'))).toBe(false);
  });
});

describe("a project's outputs/*.ts", () => {
  /** An output module that leaves a mark when it is imported. */
  const marking = (marker: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\n`;

  it.each([[['--help']], [['output', 'new', '--help']], [['run', '-h']], [['help', 'output']], [['init', '--help']]])('is not run for %j', (args) => {
    const marker = join(tempDir('streamalert-marker-'), 'imported');
    const dir = tempProject({ 'outputs/marking.ts': marking(marker) });
    const run = streamalert(['--project', dir, ...args], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: streamalert');
    expect(existsSync(marker)).toBe(false);
  });

  it('is run for a command that reads the project', () => {
    const marker = join(tempDir('streamalert-marker-'), 'imported');
    const dir = tempProject({ 'outputs/marking.ts': marking(marker) });
    const run = streamalert(['--project', dir, 'output', 'services'], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});
