// The package as a user installs it: `npm pack` of this checkout, then README.md's "Your own
// project" steps run as written, one by one, in a fresh folder (a real install from the npm
// registry, the only network used). The steps are read from README.md, so the test fails when
// the README drifts from what works; each step's command is matched to what it must do below.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type CliRun } from '../support/cli.ts';
import { folderWithoutNodeModules } from '../support/clean-folder.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { knownSecret } from '../support/secrets.ts';
import { hasTmux, Terminal } from '../support/terminal.ts';
import { CLI_TIMEOUT_MS, CONDITION_TIMEOUT_MS, PACKAGE_INSTALL_TIMEOUT_MS } from '../support/timeouts.ts';

if (!hasTmux && process.env.CI) throw new Error('tmux is needed for the prompt step (apt-get install tmux)');

const README_SECTION = 'Your own project';
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const DESCRIPTOR_PROMPT = 'Please supply a short and unique descriptor for this Slack integration (ie: channel, group, etc):';
const URL_PROMPT = 'Please supply the full Slack webhook url, including the secret:';

/** The commands of the README section's first code block, comments dropped. */
function readmeSteps(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((text) => text.startsWith(`${README_SECTION}\n`));
  if (!section) throw new Error(`README.md has no "## ${README_SECTION}" section`);
  const block = /^```\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!block) throw new Error(`README.md's "${README_SECTION}" has no code block`);
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** Where the steps run, and what they share: the folder they are in, the Slack stand-in. */
interface Session {
  cwd: string;
  env: NodeJS.ProcessEnv;
  slack: LoopbackReceiver;
  slackPath: string;
}

interface Step {
  deadlineMs?: number;
  /** Runs the step itself (a prompt to answer) instead of as a plain shell command. */
  run?: (command: string, session: Session) => Promise<CliRun>;
  check: (run: CliRun, session: Session) => void;
}

const succeeds = (run: CliRun) => expect(run.status, run.stdout + run.stderr).toBe(0);

/** What each step of the README must do, by its command as the README writes it. */
const STEPS: Record<string, Step> = {
  'mkdir detections && cd detections': {
    check: (run, { cwd }) => {
      succeeds(run);
      expect(cwd).toMatch(/\/detections$/);
    },
  },
  'npm init -y': {
    check: (run, { cwd }) => {
      succeeds(run);
      expect(existsSync(join(cwd, 'package.json'))).toBe(true);
    },
  },
  'npm pkg set allowScripts.better-sqlite3=true allowScripts.esbuild=false --json': {
    check: (run, { cwd }) => {
      succeeds(run);
      expect(readJson(join(cwd, 'package.json')).allowScripts).toEqual({ 'better-sqlite3': true, esbuild: false });
    },
  },
  'npm install ~/streamalert-*.tgz': {
    deadlineMs: PACKAGE_INSTALL_TIMEOUT_MS,
    check: (run) => {
      succeeds(run);
      // npm 11 warns about every dependency install script the project's allowScripts does not cover.
      expect(run.stderr).not.toMatch(/install-scripts|install script/i);
      expect(run.stderr).not.toMatch(/deprecated/i);
    },
  },
  'npx streamalert init': {
    check: (run, { cwd }) => {
      succeeds(run);
      // `npm init -y` wrote "type": "commonjs", under which Node would not load the rules as ES modules.
      expect(run.stdout).toContain('Set "type": "module" in package.json');
      expect(readJson(join(cwd, 'package.json')).type).toBe('module');
      for (const path of ['conf/global.json', 'rules', 'samples', 'tsconfig.json']) expect(existsSync(join(cwd, path)), path).toBe(true);
    },
  },
  'npx streamalert rules check': {
    check: (run) => {
      succeeds(run);
      expect(run.stdout).toMatch(/\d+ files? checked, no problems/);
    },
  },
  'npx streamalert rules test': {
    check: (run) => {
      succeeds(run);
      expect(run.stdout).toMatch(/Rule tests: (\d+) events, \1 passed, 0 failed/);
    },
  },
  'npx streamalert run --input samples/*': {
    check: (run) => {
      succeeds(run);
      expect(run.stdout).toMatch(/^Alerts: [1-9]/m);
      expect(run.stdout).toMatch(/file:alerts\s+\d+ delivered/);
    },
  },
  'npx streamalert output new --service slack': {
    run: answerSlackPrompts,
    check: (run, { cwd }) => {
      succeeds(run);
      expect(run.stdout).toContain('Configured slack:sec-alerts');
      expect(readJson(join(cwd, 'conf', 'outputs.json')).slack).toEqual(['sec-alerts']);
    },
  },
  'npx streamalert output test slack:sec-alerts': {
    check: (run, { slack, slackPath }) => {
      succeeds(run);
      expect(run.stdout).toContain('slack:sec-alerts: delivered');
      expect(slack.requests.map((request) => request.path)).toContain(slackPath);
      expect(run.stdout + run.stderr).not.toContain(slackPath);
    },
  },
};

/** The prompt step at a real terminal: the descriptor, then the webhook URL (the loopback Slack). */
async function answerSlackPrompts(command: string, session: Session): Promise<CliRun> {
  const terminal = Terminal.start(command, { cwd: session.cwd, env: session.env });
  try {
    await terminal.waitFor(DESCRIPTOR_PROMPT);
    terminal.type('sec-alerts');
    terminal.press('Enter');
    await terminal.waitFor(URL_PROMPT);
    terminal.type(session.slack.url + session.slackPath);
    terminal.press('Enter');
    const status = await terminal.exitCode(CLI_TIMEOUT_MS);
    const transcript = await terminal.transcript();
    expect(transcript, 'the webhook URL was echoed').not.toContain(session.slackPath);
    return { status, stdout: terminal.screen(), stderr: '' };
  } finally {
    terminal.close();
  }
}

/**
 * Runs one step in bash in the session's folder, asynchronously (the loopback Slack lives in this
 * process and must answer); afterwards the session is in the folder the step ended in (`cd`).
 */
async function runStep(command: string, session: Session, deadlineMs: number): Promise<CliRun> {
  const cwdFile = join(session.env.HOME!, '.step-cwd');
  const script = `${command}\nstatus=$?\npwd > '${cwdFile}'\nexit $status`;
  const child = spawn('bash', ['-c', script], { cwd: session.cwd, env: session.env, timeout: deadlineMs, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (existsSync(cwdFile)) session.cwd = readFileSync(cwdFile, 'utf8').trim();
  return { status, stdout, stderr };
}

/**
 * A copy of this checkout as it is (uncommitted work included) to pack: packing rebuilds dist/,
 * which other tests run meanwhile (test/cli/lazy-loading.test.ts). It shares node_modules.
 */
function checkoutCopy(workspace: string): string {
  const copy = join(workspace, 'checkout');
  const local = new Set(['.git', 'node_modules', 'dist', 'coverage', '.streamalert']);
  cpSync(ROOT, copy, { recursive: true, filter: (source) => !local.has(basename(source)) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** npm's own setting (the registry, its certificates, the download cache) for the user's npm. */
function npmConfig(key: string): string {
  return spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' }).stdout.trim();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

const steps = readmeSteps();

describe.skipIf(!hasTmux)(`the packed package, installed and used as README.md's "${README_SECTION}" says`, () => {
  let workspace: string;
  let session: Session;

  beforeAll(async () => {
    // Where no node_modules above the project resolves a package it did not install (the AWS CDK).
    workspace = mkdtempSync(join(folderWithoutNodeModules(), 'streamalert-package-'));
    const home = join(workspace, 'home');
    mkdirSync(home);
    // The README packs into the home folder; the user's own home stays out of the test.
    const packed = spawnSync('npm', ['pack', '--pack-destination', home], { cwd: checkoutCopy(workspace), encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
    expect(packed.status, packed.stderr).toBe(0);
    expect(packed.stdout.trim().split('\n').at(-1)).toBe(`streamalert-${version}.tgz`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      npm_config_userconfig: npmConfig('userconfig'),
      npm_config_cache: npmConfig('cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    session = { cwd: workspace, env, slack: await LoopbackReceiver.start(), slackPath: `/services/T0/B0/${knownSecret('webhook')}` };
  }, CLI_TIMEOUT_MS * 2);

  afterAll(async () => {
    await session?.slack.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('knows every step of the README section, and the README keeps the steps this test runs', () => {
    expect(steps).toEqual(Object.keys(STEPS));
  });

  // The steps build on each other, in the README's order: a failed one fails those after it.
  for (const command of steps) {
    const step = STEPS[command];
    const deadlineMs = step?.deadlineMs ?? CLI_TIMEOUT_MS;
    it(`step: ${command}`, async () => {
      if (!step) throw new Error(`README step '${command}' has no expectation in ${import.meta.filename}: add one`);
      const run = await (step.run ?? ((text, s) => runStep(text, s, deadlineMs)))(command, session);
      step.check(run, session);
    }, deadlineMs + CONDITION_TIMEOUT_MS);
  }

  it('installs compiled JavaScript with declarations: no sources, no tests, no development dependencies', () => {
    const installed = join(session.cwd, 'node_modules', 'streamalert');
    const files = filesUnder(installed);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((file) => file.startsWith('dist/') && file.endsWith('.d.ts')).length).toBeGreaterThan(20);
    expect(files.filter((file) => /^(src|test|bench|scripts)\//.test(file) || /\.test\.[jt]s$/.test(file))).toEqual([]);
    // TypeScript outside dist/ is only what `init` copies into a project: the examples' rules.
    expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts') && !file.startsWith('examples/'))).toEqual([]);
    // zod is bundled into dist/ at build; the others only test and build this repository.
    for (const dev of ['vitest', 'vite', 'zod', '@types/better-sqlite3', 'playwright-core', 'smtp-server']) expect(existsSync(join(session.cwd, 'node_modules', dev)), dev).toBe(false);
  });

  it('installs without the AWS CDK (optional peer dependencies), and deploy says how to add it', async () => {
    for (const peer of ['aws-cdk-lib', 'constructs', '@aws-cdk/toolkit-lib']) expect(existsSync(join(session.cwd, 'node_modules', peer)), peer).toBe(false);
    const run = await runStep('npx streamalert deploy --synth', session, CLI_TIMEOUT_MS);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('streamalert deploy --synth needs the AWS CDK, which is not installed with streamalert');
    expect(run.stderr).toContain('npm install --save-dev aws-cdk-lib constructs @aws-cdk/toolkit-lib');
  });

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runStep(`npx streamalert ${flag}`, session, CLI_TIMEOUT_MS);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it("type-checks the project's rules against the declarations with the scaffold's tsconfig: tsc and rules check find a wrong one", async () => {
    const clean = await runStep('npx tsc --noEmit -p .', session, CLI_TIMEOUT_MS);
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);

    // Wrong against the declarations only: a log type list that is a number, an output that is not a string.
    const wrong = join(session.cwd, 'rules', 'wrong_types.ts');
    writeFileSync(wrong, "import { rule } from 'streamalert';\n\nexport const wrong_types = rule({ logs: 42, outputs: [7] }, (record) => record.x === 1);\n");
    try {
      const tsc = await runStep('npx tsc --noEmit -p .', session, CLI_TIMEOUT_MS);
      expect(tsc.status).not.toBe(0);
      expect(tsc.stdout).toMatch(/rules\/wrong_types\.ts\(3,/);
      const check = await runStep('npx streamalert rules check', session, CLI_TIMEOUT_MS);
      expect(check.status, check.stdout + check.stderr).toBe(1);
      expect(check.stdout + check.stderr).toMatch(/rules\/wrong_types\.ts:3:\d+/);
    } finally {
      rmSync(wrong);
    }
  }, CLI_TIMEOUT_MS * 4);
});
