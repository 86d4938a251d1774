import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { resolveProjectDir } from '../../config/project.ts';
import { columns } from '../format/columns.ts';

/** The project `init` writes: the quickstart example, which `npm start` runs end to end. */
const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'examples', 'quickstart');

/** What init writes besides the example: outside src/, since the compiled package's dist/ holds only compiled code. */
const TEMPLATES = join(import.meta.dirname, '..', '..', '..', 'templates');

/** The README of the project written (the example's own speaks of this repository), with a part for each kind of project. */
const PROJECT_README = join(TEMPLATES, 'project-readme.md');

/** Makes editors type-check the rules against the installed package; `rules check` reads the same. */
const PROJECT_TSCONFIG = join(TEMPLATES, 'tsconfig.json');

/** A bare project's files: empty folders git keeps, and no outputs. */
const BARE_FILES: Record<string, string> = {
  'conf/outputs.json': '{}\n',
  'conf/schemas/.gitkeep': '',
  'rules/.gitkeep': '',
};

/** The S3 bucket named after the prefix, `<prefix>.streamalert.secrets`, may have 63 characters. */
const MAX_PREFIX_CHARS = 40;

type Kind = 'full' | 'bare';

/** `streamalert init [--bare]`: a working project skeleton; never overwrites a file. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a working project: conf/ (global, outputs, schemas), rules/ with test events, samples/; or with --bare only the empty folders')
    .option('--bare', 'only conf/ (no outputs, no schemas) and an empty rules/, for your own rules')
    .addHelpText('after', '\nExamples:\n  $ streamalert init\n  $ streamalert --project my-detections init\n  $ streamalert init --bare    # a real project: your schemas, rules and outputs')
    .action((options: { bare?: boolean }, command: Command) => {
      const dir = resolveProjectDir(command.optsWithGlobals<{ project?: string }>().project);
      const kind: Kind = options.bare ? 'bare' : 'full';
      const written: string[] = [];
      const kept: string[] = [];
      for (const { path, write } of projectFiles(kind, dir)) {
        const target = join(dir, path);
        if (existsSync(target)) {
          kept.push(path);
          continue;
        }
        mkdirSync(dirname(target), { recursive: true });
        write(target);
        written.push(path);
      }
      const manifest = ensureModulePackage(join(dir, 'package.json'));
      if (manifest.outcome === 'written') written.push('package.json');
      if (manifest.outcome === 'kept') kept.push('package.json');
      console.log(`Initialised a StreamAlert project in ${dir}: ${plural(written.length, 'file')} written.`);
      if (kept.length > 0) {
        const list = kept.length <= 5 ? `: ${kept.join(', ')}` : '';
        console.log(`Kept ${plural(kept.length, 'existing file')} unchanged (init never overwrites)${list}`);
      }
      if (manifest.outcome === 'updated') console.log(manifest.message);
      if (manifest.outcome === 'unusable') console.error(`warning: ${manifest.message}`);
      printNextSteps(kind, dir);
    });
}

interface ProjectFile {
  readonly path: string;
  readonly write: (target: string) => void;
}

function projectFiles(kind: Kind, dir: string): ProjectFile[] {
  const text = (path: string, content: string): ProjectFile => ({ path, write: (target) => writeFileSync(target, content) });
  const template =
    kind === 'full'
      ? templateFiles(TEMPLATE)
          .filter((path) => path !== join('conf', 'global.json'))
          .map((path) => ({ path, write: (target: string) => copyFileSync(join(TEMPLATE, path), target) }))
      : Object.entries(BARE_FILES).map(([path, content]) => text(path, content));
  return [
    text('conf/global.json', globalConfig(prefixFor(basename(dir)))),
    ...template,
    text('README.md', projectReadme(kind)),
    { path: 'tsconfig.json', write: (target) => copyFileSync(PROJECT_TSCONFIG, target) },
    // Embedded state (the alert store and ciphertext) and what `deploy --synth` writes: keep them out of version control.
    text('.gitignore', '.streamalert/\ncdk.out/\n'),
  ];
}

/** The template's conf/global.json with the project's own prefix: the names of its AWS secrets derive from it. */
function globalConfig(prefix: string): string {
  const config = JSON.parse(readFileSync(join(TEMPLATE, 'conf', 'global.json'), 'utf8')) as { account: Record<string, unknown> };
  return `${JSON.stringify({ ...config, account: { ...config.account, prefix } }, null, 2)}\n`;
}

/**
 * An account prefix from a folder name, as conf/global.json accepts it: lowercase letters, digits
 * and dashes, starting with a letter or digit, not ending with a dash (it is followed by a dot in
 * the bucket name). A name with nothing usable in it gets the default, `streamalert`.
 *
 * @example
 *   prefixFor('My Détections_2024') // 'my-detections-2024'
 */
export function prefixFor(folderName: string): string {
  const prefix = folderName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, once split from their letters
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_PREFIX_CHARS)
    .replace(/-+$/, '');
  return prefix === '' ? 'streamalert' : prefix;
}

/** The README template's part for this kind of project: `<!-- full -->...<!-- /full -->` blocks kept or dropped. */
function projectReadme(kind: Kind): string {
  return readFileSync(PROJECT_README, 'utf8').replace(/<!-- (full|bare) -->\n([\s\S]*?)<!-- \/\1 -->\n/g, (_block, blockKind: string, body: string) =>
    blockKind === kind ? body : '',
  );
}

/** What init did with package.json, and what to tell the user. */
type ManifestOutcome = { outcome: 'written' | 'kept' } | { outcome: 'updated' | 'unusable'; message: string };

/**
 * Rule files are ES modules, which Node loads as such only under a package.json that says
 * `"type": "module"`. Writes one where there is none; in one without it (`npm init -y` writes
 * `"type": "commonjs"`) sets it, keeping every other key, the key order, the indentation and the
 * line endings. One that is not a JSON object is left alone, with a warning.
 */
function ensureModulePackage(path: string): ManifestOutcome {
  if (!existsSync(path)) {
    writeFileSync(path, `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
    return { outcome: 'written' };
  }
  const text = readFileSync(path, 'utf8');
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    return { outcome: 'unusable', message: `package.json is not valid JSON (${(error as Error).message}), so it is unchanged; rule files are ES modules: fix it and set "type": "module" in it` };
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return { outcome: 'unusable', message: 'package.json is not a JSON object, so it is unchanged; rule files are ES modules: make it one with "type": "module"' };
  }
  const type = (manifest as { type?: unknown }).type;
  if (type === 'module') return { outcome: 'kept' };
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const updated = JSON.stringify({ ...manifest, type: 'module' }, null, indent).replace(/\n/g, newline);
  writeFileSync(path, text.endsWith('\n') ? `${updated}${newline}` : updated);
  const was = type === undefined ? 'it had no "type"' : `it was ${JSON.stringify(type)}`;
  return { outcome: 'updated', message: `Set "type": "module" in package.json (${was}): rule files are ES modules, and Node loads them as such only then.` };
}

function printNextSteps(kind: Kind, dir: string): void {
  const at = relative(process.cwd(), dir) === '' ? '' : ` --project ${relative(process.cwd(), dir)}`;
  console.log('\nNext:');
  const steps: Array<[string, string]> =
    kind === 'full'
      ? [
          [`streamalert${at} rules test`, "run the example rules' test events"],
          [`streamalert${at} run --input samples/*`, 'records -> rules -> alerts -> .streamalert/alerts.jsonl'],
          [`streamalert${at} output new --service slack`, "add a real output, then name it in a rule's outputs"],
        ]
      : [
          ['conf/schemas/<source>.json', 'declare the log types your rules read (docs/schemas.md)'],
          ['rules/<source>/<rule>.ts', 'a rule, with its test events beside it in <rule>.json (README.md)'],
          [`streamalert${at} output new --service slack`, "an output, then name it in a rule's outputs"],
          [`streamalert${at} rules check`, 'type-check the rules; then rules test runs their test events'],
        ];
  console.log(columns(steps));
}

/** Every file of the template, relative, without its local state (.streamalert/) and its README (the repository's). */
function templateFiles(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = join(sub, entry.name);
    if (entry.name === '.streamalert' || path === 'README.md') return [];
    return entry.isDirectory() ? templateFiles(root, path) : [path];
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
