import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes a file so that readers see either the old content or the new, never a half-written
 * file: write a temporary sibling, fsync it, then rename over the target.
 *
 * @example
 *   writeFileAtomic('conf/outputs.json', JSON.stringify(config, null, 2) + '\n');
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  // The global Web Crypto, not node:crypto: loading that module costs every command about 5 ms at start.
  const temporary = `${path}.${crypto.randomUUID().slice(0, 13)}.tmp`;
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
