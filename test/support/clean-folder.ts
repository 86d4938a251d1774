import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A temporary folder no node_modules above can resolve a package for, as a user's fresh project
 * folder or Lambda's /var/task: some machines have one above the usual temporary folder
 * (/tmp/node_modules), which would hide a package missing from a test's own node_modules.
 */
export function folderWithoutNodeModules(): string {
  const candidates = [tmpdir(), '/var/tmp'];
  const clean = candidates.find((dir) => {
    for (let at = dir; ; at = dirname(at)) {
      if (existsSync(join(at, 'node_modules'))) return false;
      if (dirname(at) === at) return true;
    }
  });
  if (!clean) throw new Error(`every temporary folder has a node_modules above it (${candidates.join(', ')}): cannot show a package is needed`);
  return clean;
}
