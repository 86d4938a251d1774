import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * Creates a file only if none exists, atomically: write a private temporary sibling, fsync,
 * then hard-link it into place (link fails when the target exists, unlike rename). Two
 * processes creating the same file at once thus agree on one content instead of one silently
 * replacing the other. Returns false when the file already existed.
 *
 * @example
 *   if (!writeFileExclusive(path, json, 0o600)) content = readFileSync(path, 'utf8');
 */
export function writeFileExclusive(path: string, data: string, mode: number): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
