import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bounds on what is read of a checkout: a StreamAlert repository has a few hundred small files. */
export const LIMITS = {
  /** Files listed under one location (rules/, matchers/, conf/, ...). */
  maxFiles: 20_000,
  maxDepth: 32,
  /** A rule or matcher file; StreamAlert's largest is about 10 KB. */
  maxPythonBytes: 1024 * 1024,
  /** A test event or conf file: `rules test` reads test files of up to 16 MiB. */
  maxJsonBytes: 16 * 1024 * 1024,
} as const;

export class CheckoutError extends Error {
  override readonly name = 'CheckoutError';
}

/** Folders that are never a team's files: caches, tools, version control. */
const SKIPPED = new Set(['__pycache__', 'node_modules', '.git', '.tox', '.venv', 'venv']);

/**
 * Regular files under `root/sub`, relative to root with `/`, sorted. Hidden entries and caches
 * are left out, symbolic links are not followed (each is reported through `onSkip`), and more
 * than LIMITS.maxFiles files or LIMITS.maxDepth levels is a CheckoutError.
 */
export function listFiles(root: string, sub: string, onSkip: (path: string, why: string) => void): string[] {
  const found: string[] = [];
  const visit = (relative: string, depth: number) => {
    if (depth > LIMITS.maxDepth) throw new CheckoutError(`${relative}: folders nested more than ${LIMITS.maxDepth} deep`);
    for (const name of readdirSync(join(root, relative)).sort()) {
      if (name.startsWith('.') || SKIPPED.has(name)) continue;
      const path = `${relative}/${name}`;
      const stats = lstatSync(join(root, path));
      if (stats.isSymbolicLink()) onSkip(path, 'a symbolic link, not followed: copy what it points to by hand');
      else if (stats.isDirectory()) visit(path, depth + 1);
      else if (stats.isFile()) {
        if (found.length >= LIMITS.maxFiles) throw new CheckoutError(`${sub}/: more than ${LIMITS.maxFiles.toLocaleString('en-US')} files; is this a StreamAlert checkout?`);
        found.push(path);
      }
    }
  };
  visit(sub, 0);
  return found;
}

/** A file's text, or why it is not read: larger than `maxBytes`, or not UTF-8. */
export function readBounded(root: string, path: string, maxBytes: number): { text: string } | { problem: string } {
  const size = lstatSync(join(root, path)).size;
  if (size > maxBytes) return { problem: `${size.toLocaleString('en-US')} bytes, more than the ${maxBytes.toLocaleString('en-US')} read` };
  const bytes = readFileSync(join(root, path));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: 'not UTF-8 text' };
  }
}

/** Whether `path` is a folder (not a link to one). */
export function isFolder(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
