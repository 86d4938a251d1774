import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What a project's code may be written in; tsx compiles TypeScript on load. */
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Every module file under `dir` (rules/, publishers/, outputs/), sorted, skipping hidden folders, node_modules and .d.ts files. */
export function moduleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...moduleFiles(path));
    else if (MODULE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(entry.name)) found.push(path);
  }
  return found;
}
