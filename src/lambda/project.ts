import { loadProject, resolveProjectDir, type Project } from '../config/project.ts';
import { AwsClients } from '../aws/clients.ts';
import { loadProjectOutputs } from '../outputs/project-outputs.ts';
import { loadDetection } from '../pipeline/load.ts';
import type { PipelineParts } from '../pipeline/pipeline.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { openAlertStore } from '../store/open.ts';
import '../outputs/builtin.ts';

/** What a Lambda container loads once and every invocation reuses. */
export interface LoadedProject {
  readonly project: Project;
  readonly parts: PipelineParts;
  readonly aws: AwsClients;
  /** The rules engine's alert store, opened on first use and kept open: its connections outlive an invocation. */
  store(): Promise<AlertStore>;
}

/** By project folder: a test may point STREAMALERT_PROJECT elsewhere; a function has one. */
const loaded = new Map<string, Promise<LoadedProject>>();

/**
 * The project the function is packaged with (STREAMALERT_PROJECT, default: the working
 * directory): schemas, rules, the project's own outputs, loaded once per container. Clients are
 * built on first use, so a cold start pays only for what the invocation touches.
 */
export function loadedProject(): Promise<LoadedProject> {
  const dir = resolveProjectDir();
  let entry = loaded.get(dir);
  if (!entry) {
    entry = load(dir);
    loaded.set(dir, entry);
    // A failed load is tried again by the next invocation, not cached.
    entry.catch(() => loaded.delete(dir));
  }
  return entry;
}

async function load(dir: string): Promise<LoadedProject> {
  await loadProjectOutputs(dir);
  const project = loadProject(dir);
  // What did not load is logged and disabled; every other rule runs, as with the CLI.
  const detection = await loadDetection(project);
  for (const problem of detection.problems) console.warn(JSON.stringify({ loadProblem: problem }));
  const parts: PipelineParts = { ...detection, outputs: project.outputs, onEvent: (event) => console.warn(JSON.stringify(event)) };
  let store: Promise<AlertStore> | undefined;
  const openStore = (): Promise<AlertStore> => {
    if (!store) {
      store = openAlertStore(project);
      store.catch(() => (store = undefined));
    }
    return store;
  };
  return { project, parts, aws: new AwsClients({ region: project.global.account.region }), store: openStore };
}
