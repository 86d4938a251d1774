import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { resolveProjectDir } from '../../config/project.ts';
import { columns } from '../format/columns.ts';

/** The project `init` writes: the quickstart example, which `npm start` runs end to end. */
const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'examples', 'quickstart');

/** The README of the project written: the example's own speaks of this repository, not of the user's folder. */
const PROJECT_README = join(import.meta.dirname, '..', 'templates', 'project-readme.md');

/** Files `init` writes besides the template's, for a project that stands on its own. */
const EXTRA_FILES: Record<string, string> = {
  // Rule files are ES modules.
  'package.json': `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`,
  // Embedded state: the alert store and ciphertext. Keep it out of version control.
  '.gitignore': '.streamalert/\n',
};

/** `streamalert init`: a working project skeleton; never overwrites a file. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a working project: conf/ (global, outputs, schemas), rules/ with test events, samples/')
    .addHelpText('after', '\nExamples:\n  $ streamalert init\n  $ streamalert --project my-detections init')
    .action((_options: unknown, command: Command) => {
      const dir = resolveProjectDir(command.optsWithGlobals<{ project?: string }>().project);
      const written: string[] = [];
      const kept: string[] = [];
      const files = [
        ...templateFiles(TEMPLATE).map((path) => ({ path, write: (target: string) => copyFileSync(join(TEMPLATE, path), target) })),
        { path: 'README.md', write: (target: string) => copyFileSync(PROJECT_README, target) },
        ...Object.entries(EXTRA_FILES).map(([path, text]) => ({ path, write: (target: string) => writeFileSync(target, text) })),
      ];
      for (const { path, write } of files) {
        const target = join(dir, path);
        if (existsSync(target)) {
          kept.push(path);
          continue;
        }
        mkdirSync(dirname(target), { recursive: true });
        write(target);
        written.push(path);
      }
      console.log(`Initialised a StreamAlert project in ${dir}: ${written.length} file${written.length === 1 ? '' : 's'} written.`);
      if (kept.length > 0) {
        const list = kept.length <= 5 ? `: ${kept.join(', ')}` : '';
        console.log(`Kept ${kept.length} existing file${kept.length === 1 ? '' : 's'} unchanged (init never overwrites)${list}`);
      }
      const at = relative(process.cwd(), dir) === '' ? '' : ` --project ${relative(process.cwd(), dir)}`;
      console.log('\nNext:');
      console.log(
        columns([
          [`streamalert${at} rules test`, "run the example rules' test events"],
          [`streamalert${at} run --input samples/*`, 'records -> rules -> alerts -> .streamalert/alerts.jsonl'],
          [`streamalert${at} output new --service slack`, "add a real output, then name it in a rule's outputs"],
        ]),
      );
    });
}

/** Every file of the template, relative, without its local state (.streamalert/) and its README (the repository's). */
function templateFiles(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = join(sub, entry.name);
    if (entry.name === '.streamalert' || path === 'README.md') return [];
    return entry.isDirectory() ? templateFiles(root, path) : [path];
  });
}
