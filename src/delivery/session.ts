import { deliveryPolicyOf } from './policy.ts';
import { loadConfiguredOutputs } from './configured-outputs.ts';
import { DeliveryEngine } from './engine.ts';
import type { Project } from '../config/project.ts';
import { createOutputContext } from '../outputs/context.ts';
import { publish } from '../publishers/publish.ts';
import { CachedCredentials } from '../secrets/cache.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { openAlertStore } from '../store/open.ts';
import { createCredentialStore } from '../secrets/create.ts';

/**
 * What `run`, `serve`, `alerts retry` and the alert processor Lambda deliver with: the project's alert store, a delivery engine
 * over it with the project's policy, output context and cached credentials. `close` when done.
 * Publishers are looked up by name, so the project's rules must be loaded first.
 */
export async function openDeliverySession(project: Project): Promise<{ store: AlertStore; engine: DeliveryEngine; close(): Promise<void> }> {
  const policy = deliveryPolicyOf(project.global.delivery);
  const store = openAlertStore(project);
  try {
    await store.verify();
  } catch (error) {
    store.close();
    throw error;
  }
  const context = createOutputContext({ timeoutMs: policy.timeoutMs, region: project.global.account.region, projectDir: project.dir });
  // Notices (a master key created) go to standard error, never standard output.
  const credentials = new CachedCredentials(createCredentialStore(project, { notice: (line) => console.error(line) }));
  const load = async (name: string) => (await loadConfiguredOutputs(project, credentials, context, [name]))[0]!;
  const engine = new DeliveryEngine(store, load, { policy, publish, onError: (message) => console.error(`streamalert: ${message}`) });
  return {
    store,
    engine,
    async close() {
      await context.close();
      store.close();
    },
  };
}
