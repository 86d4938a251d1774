import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prefixFor } from '../../src/cli/commands/init.ts';
import { GlobalConfigSchema, loadProject } from '../../src/config/project.ts';
import { ROOT, streamalert } from '../support/cli.ts';
import { isolatedEnv, tempDir } from '../support/secrets.ts';

/** What `npm init -y` writes (npm 10), in its formatting: 2-space JSON, a final newline. */
function npmInitPackage(name: string): Record<string, unknown> {
  return { name, version: '1.0.0', description: '', main: 'index.js', scripts: { test: 'echo "Error: no test specified" && exit 1' }, keywords: [], author: '', license: 'ISC', type: 'commonjs' };
}

/** A fresh, empty folder with this name: the name is what the prefix comes from. */
function folderNamed(name: string): string {
  const dir = join(tempDir(), name);
  mkdirSync(dir);
  return dir;
}

function filesUnder(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, join(sub, entry.name)) : [relative(dir, join(dir, sub, entry.name))]))
    .sort();
}

describe('streamalert init in a folder with a package.json', () => {
  it('sets "type": "module" in one npm init wrote, keeping every other key and its formatting, and says why', () => {
    const dir = folderNamed('detections');
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(npmInitPackage('detections'), null, 2)}\n`);
    const env = isolatedEnv();

    const init = streamalert(['init'], { cwd: dir, env });

    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('\nSet "type": "module" in package.json (it was "commonjs"): rule files are ES modules, and Node loads them as such only then.\n');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(`${JSON.stringify({ ...npmInitPackage('detections'), type: 'module' }, null, 2)}\n`);
    const tests = streamalert(['rules', 'test'], { cwd: dir, env });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
  });

  it('adds "type" last where there was none, in the indentation the file uses', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{\n    "name": "soc",\n    "private": true\n}\n');

    const init = streamalert(['--project', dir, 'init', '--bare'], { env: isolatedEnv() });

    expect(init.stdout).toContain('Set "type": "module" in package.json (it had no "type")');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{\n    "name": "soc",\n    "private": true,\n    "type": "module"\n}\n');
  });

  it('leaves a package.json that is not JSON as it is, and warns', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{ "name": "soc", }\n');

    const init = streamalert(['--project', dir, 'init', '--bare'], { env: isolatedEnv() });

    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toMatch(/^warning: package\.json is not valid JSON \(.+\), so it is unchanged; rule files are ES modules: fix it and set "type": "module" in it\n$/);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{ "name": "soc", }\n');
  });
});

describe('a project whose package.json says CommonJS', () => {
  it("has its rules reported as not loaded in one line naming package.json and the fix, not Node's require(esm) error", () => {
    const dir = tempDir();
    const env = isolatedEnv();
    expect(streamalert(['--project', dir, 'init'], { env }).status).toBe(0);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(npmInitPackage('detections'), null, 2)}\n`);

    const tests = streamalert(['--project', dir, 'rules', 'test'], { env });

    const fix = `${join(dir, 'package.json')} says "type": "commonjs", but rule and output files are ES modules: set "type": "module" in it ('streamalert init' does), or name the file .mts`;
    expect(tests.stdout).toContain(`\n  rules/duo/duo_fraud.ts could not be loaded: ${fix}\n`);
    expect(tests.stdout + tests.stderr).not.toMatch(/require\(\)|ERR_REQUIRE|cycle/);
    expect(tests.status).toBe(1);
  });

  it('has an output service of its own reported the same way, as bad configuration', () => {
    const dir = tempDir();
    const env = isolatedEnv();
    expect(streamalert(['--project', dir, 'init', '--bare'], { env }).status).toBe(0);
    writeFileSync(join(dir, 'package.json'), '{ "name": "soc" }\n');
    mkdirSync(join(dir, 'outputs'));
    writeFileSync(join(dir, 'outputs', 'teams.ts'), "import { OutputBase } from 'streamalert';\nexport class TeamsBase extends OutputBase {}\n");

    const list = streamalert(['--project', dir, 'output', 'list'], { env });

    expect(list.stderr).toBe(`error: outputs/teams.ts could not be loaded: ${join(dir, 'package.json')} has no "type", but rule and output files are ES modules: set "type": "module" in it ('streamalert init' does), or name the file .mts\n`);
    expect(list.status).toBe(2);
  });
});

describe('streamalert init --bare', () => {
  it('writes only conf/ and an empty rules/, with the prefix from the folder name, and a project that every command accepts', () => {
    const dir = folderNamed('Acme_Detections');
    const env = isolatedEnv();

    const init = streamalert(['init', '--bare'], { cwd: dir, env });

    expect(init.status, init.stderr).toBe(0);
    expect(filesUnder(dir)).toEqual(['.gitignore', 'README.md', 'conf/global.json', 'conf/outputs.json', 'conf/schemas/.gitkeep', 'package.json', 'rules/.gitkeep', 'tsconfig.json']);
    expect(JSON.parse(readFileSync(join(dir, 'conf', 'global.json'), 'utf8'))).toEqual({ account: { prefix: 'acme-detections', region: 'us-east-1' } });
    expect(loadProject(dir).outputs).toEqual({});
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'templates', 'tsconfig.json'), 'utf8'));
    expect(init.stdout).toContain('streamalert rules check                 type-check the rules; then rules test runs their test events');

    const list = streamalert(['output', 'list'], { cwd: dir, env });
    expect(list.stdout).toBe('No outputs configured. Add one with: streamalert output new --service slack\n');
    const check = streamalert(['rules', 'check'], { cwd: dir, env });
    expect(check.stdout).toContain('nothing to check');
    expect(check.status, check.stderr).toBe(0);
  });

  it('writes a README about a project with nothing in it yet: no example rules, no samples', () => {
    const dir = tempDir();

    expect(streamalert(['--project', dir, 'init', '--bare'], { env: isolatedEnv() }).status).toBe(0);

    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# Detection rules for StreamAlert\n\nWritten by `streamalert init --bare`/);
    expect(readme).toContain('conf/outputs.json           configured outputs: none yet');
    for (const section of ['## Adding a rule', '## Adding an output', '## Type-checking']) expect(readme).toContain(`\n${section}\n`);
    expect(readme).not.toMatch(/<!--|samples|five example rules|file:alerts/);
  });
});

describe('the prefix init writes', () => {
  it('comes from the folder name for the full project too, not the quickstart', () => {
    const dir = folderNamed('secops');

    expect(streamalert(['init'], { cwd: dir, env: isolatedEnv() }).status).toBe(0);

    expect(loadProject(dir).global.account).toEqual({ prefix: 'secops', region: 'us-east-1' });
  });

  it('is what conf/global.json accepts, whatever the folder is called', () => {
    const cases: Array<[string, string]> = [
      ['detections', 'detections'],
      ['My Détections_2024', 'my-detections-2024'],
      ['--team.rules--', 'team-rules'],
      ['日本語', 'streamalert'],
      ['', 'streamalert'],
      [`${'a'.repeat(39)}-b`, 'a'.repeat(39)],
    ];
    for (const [folder, prefix] of cases) {
      expect(prefixFor(folder), folder).toBe(prefix);
      expect(GlobalConfigSchema.safeParse({ account: { prefix } }).success, prefix).toBe(true);
    }
  });
});
