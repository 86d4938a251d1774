import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TIMEOUT_MS } from '../support/timeouts.ts';
import { ROOT } from '../support/cli.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';

// What each command loads, from the compiled package (bin/streamalert.js -> dist/), as a user runs
// it: start time is mostly module loading, so a command that loads only what it uses starts fast
// (figures: `npm run bench`). Tests never assert timings; they assert which packages were loaded.

const DIST = join(ROOT, 'dist');
const traces = mkdtempSync(join(tmpdir(), 'streamalert-load-trace-'));
afterAll(() => rmSync(traces, { recursive: true, force: true }));

/** Builds dist/ when it is missing or older than a source file (a checkout that was edited since `npm install`). */
beforeAll(() => {
  if (existsSync(join(DIST, 'cli', 'main.js')) && newestMtime(join(ROOT, 'src')) <= statSync(join(DIST, 'cli', 'main.js')).mtimeMs) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  expect(build.status, build.stderr).toBe(0);
}, CLI_TIMEOUT_MS);

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
}

let runs = 0;
/** Runs the compiled CLI in `cwd`; returns its exit status and the npm packages it loaded. */
function packagesLoadedBy(args: string[], cwd: string): { status: number | null; stderr: string; packages: Set<string>; modules: string[] } {
  const out = join(traces, `${++runs}.txt`);
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(ROOT, 'test', 'support', 'load-trace-hook.js')).href)}, { data: { out: ${JSON.stringify(out)} } });`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, join(ROOT, 'bin', 'streamalert.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, STREAMALERT_MASTER_KEY: undefined },
    timeout: CLI_TIMEOUT_MS,
  });
  const urls = existsSync(out) ? readFileSync(out, 'utf8').split('\n') : [];
  const packages = new Set(urls.flatMap((url) => [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!)));
  const modules = urls.filter((url) => url.startsWith(pathToFileURL(DIST).href)).map((url) => url.slice(pathToFileURL(DIST).href.length + 1));
  return { status: run.status, stderr: run.stderr, packages, modules };
}

const HEAVY = ['@aws-sdk/client-s3', '@aws-sdk/client-lambda', '@aws-sdk/client-kms', '@aws-sdk/client-dynamodb', 'better-sqlite3', '@inquirer/prompts', 'undici', 'pino', 'prom-client', 'tsx', 'typescript', 'aws-cdk-lib', '@aws-cdk/toolkit-lib', 'esbuild'];

const FILE_OUTPUT = {
  'conf/global.json': { account: { prefix: 'lazy', region: 'us-east-1' } },
  'conf/outputs.json': { file: ['alerts'] },
  'conf/output_settings.json': { file: { alerts: { path: '.streamalert/alerts.jsonl' } } },
  'conf/schemas/duo.json': SCHEMAS['conf/schemas/duo.json'],
  'samples/duo.json': `${JSON.stringify(duoRecord())}\n`,
};
const DUO_RULE = "import { rule } from 'streamalert';\nexport const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['file:alerts'] }, (rec) => rec.result === 'fraud');\n";

describe('each command loads only what it uses', () => {
  const jsProject = tempProject({ ...FILE_OUTPUT, 'rules/duo.js': DUO_RULE });
  const tsProject = tempProject({ ...FILE_OUTPUT, 'rules/duo.ts': DUO_RULE.replace('(rec) =>', '(rec: Record<string, unknown>) =>') });

  it.each([['--help'], ['--version'], ['output', 'list'], ['output', 'list', '--help'], ['run', '--help'], ['deploy', '--help']])('`%s` loads none of the heavy packages', (...args) => {
    const { status, packages } = packagesLoadedBy(args, jsProject);
    expect(status).toBe(0);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
  });

  it('`output list` reads conf/outputs.json without zod or the other files\' schemas, any output service, or the other output commands', () => {
    const { status, modules } = packagesLoadedBy(['output', 'list'], jsProject);
    expect(status).toBe(0);
    expect(modules).toContain('cli/commands/output-list.js');
    expect(modules).toContain('config/outputs-file.js');
    expect(modules.filter((path) => /^outputs\/[a-z0-9-]+\//.test(path) || /^cli\/commands\/output-(new|test)/.test(path) || /^config\/(zod|project|validate)\.js$/.test(path))).toEqual([]);
  });

  it('`run` on a project of JavaScript rules stores in SQLite and writes a file, with no AWS SDK, prompts, HTTP client or TypeScript loader', () => {
    const { status, stderr, packages } = packagesLoadedBy(['run', '--input', 'samples/duo.json'], jsProject);
    expect(status, stderr).toBe(0);
    expect(packages.has('better-sqlite3')).toBe(true);
    expect(HEAVY.filter((name) => name !== 'better-sqlite3' && packages.has(name))).toEqual([]);
    expect(readFileSync(join(jsProject, '.streamalert', 'alerts.jsonl'), 'utf8')).toContain('duo_fraud');
  });

  it('a project with TypeScript rules gets the TypeScript loader, and its rules run', () => {
    const { status, stderr, packages } = packagesLoadedBy(['run', '--input', 'samples/duo.json'], tsProject);
    expect(status, stderr).toBe(0);
    expect(packages.has('tsx')).toBe(true);
    expect(readFileSync(join(tsProject, '.streamalert', 'alerts.jsonl'), 'utf8')).toContain('duo_fraud');
  });

  // Every import after a hook is registered waits on Node's loader thread: about 100 ms of start.
  it("registers no resolve hook for `streamalert` in a project that installed the package it runs (Node finds it), and one in a project that did not", () => {
    // tempProject links node_modules/streamalert to this checkout, as `npm install` would.
    const installed = tempProject({ ...FILE_OUTPUT, 'rules/duo.js': DUO_RULE });
    const bare = tempProject({ ...FILE_OUTPUT, 'rules/duo.js': DUO_RULE });
    rmSync(join(bare, 'node_modules'), { recursive: true });
    const hook = 'config/self-resolve-hook.js';
    const withPackage = packagesLoadedBy(['run', '--input', 'samples/duo.json'], installed);
    expect(withPackage.status, withPackage.stderr).toBe(0);
    expect(withPackage.modules).not.toContain(hook);
    expect(readFileSync(join(installed, '.streamalert', 'alerts.jsonl'), 'utf8')).toContain('duo_fraud');
    const without = packagesLoadedBy(['run', '--input', 'samples/duo.json'], bare);
    expect(without.status, without.stderr).toBe(0);
    expect(without.modules).toContain(hook);
    expect(readFileSync(join(bare, '.streamalert', 'alerts.jsonl'), 'utf8')).toContain('duo_fraud');
  });
});
