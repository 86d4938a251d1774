import type { Project } from '../config/project.ts';
import { createCredentialStore } from '../secrets/create.ts';
import type { CredentialStore } from '../secrets/store.ts';

/**
 * The credential store of a command's project, per `secrets.backend` in conf/global.json.
 * Notices (e.g. "created the master key at ...") go to standard error, never standard output,
 * so `--json` output stays clean.
 */
export function credentialStoreOf(project: Project): CredentialStore {
  return createCredentialStore(project, { notice: (line) => console.error(line) });
}
