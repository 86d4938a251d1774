import { readFileSync } from 'node:fs';

/**
 * The version in the package's own package.json, read when asked: two folders up from this
 * module both in src/cli/ and in the compiled dist/cli/, so either copy reports itself.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
