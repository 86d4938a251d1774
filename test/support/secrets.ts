import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { loadProject, type Project } from '../../src/config/project.ts';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(label = 'streamalert-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  created.push(dir);
  return dir;
}

/** A project folder with conf/global.json (and conf/outputs.json when given). */
export function makeProject(global: object = {}, outputs?: object): Project {
  const dir = tempDir('streamalert-project-');
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'global.json'), JSON.stringify(global));
  if (outputs) writeFileSync(join(dir, 'conf', 'outputs.json'), JSON.stringify(outputs));
  return loadProject(dir);
}

/**
 * An environment whose home and config folders are fresh temporary ones, so no test reads or
 * writes the real user's key files; nothing of process.env's STREAMALERT_* leaks in.
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv & { HOME: string; XDG_CONFIG_HOME: string } {
  const home = tempDir('streamalert-home-');
  return { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extra };
}

/** A random master key in the form STREAMALERT_MASTER_KEY takes. */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** A value that looks like a credential and appears nowhere else. */
export function knownSecret(label: string): string {
  return `${label}-${randomBytes(12).toString('hex')}`;
}
