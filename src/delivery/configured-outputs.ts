import type { Alert } from '../alerts/alert.ts';
import { describeError } from '../observability/describe-error.ts';
import { ownEntry, readOutputSettings, resourcePropertyOf } from '../config/output-config.ts';
import { configuredOutputs, type Project } from '../config/project.ts';
import type { OutputBase, OutputContext } from '../outputs/output.ts';
import { createOutput, getService, loadServices, type OutputClass } from '../outputs/registry.ts';
import { failed, retry, type Failed, type Retry } from '../outputs/result.ts';
import { AwsAccessDeniedError, CredentialsError, KmsAccessDeniedError } from '../secrets/errors.ts';
import type { Secret } from '../secrets/secret.ts';
import type { CredentialStore } from '../secrets/store.ts';
import { deliver, type DeliveryReport, type Publish } from './deliver.ts';
// The built-in services' declarations, which loadServices imports.
import '../outputs/builtin.ts';

/** One named output, built and ready to dispatch, or the reason it cannot be used now. */
export type LoadedOutput =
  | { readonly kind: 'ready'; readonly name: string; readonly output: OutputBase }
  | { readonly kind: 'unavailable'; readonly name: string; readonly result: Failed | Retry };

/**
 * Builds the outputs named `service:descriptor` from the project's configuration: the AWS
 * resource from conf/outputs.json, other non-secret values from conf/output_settings.json,
 * and credentials from `credentials` (pass a CachedCredentials in a long-running process).
 * An output whose credentials cannot be loaded, or that is not configured, comes back
 * `unavailable` with a result naming it and the fix; the others are unaffected.
 *
 * @example
 *   const loaded = await loadConfiguredOutputs(project, new CachedCredentials(store), context, alert.outputs);
 *   const reports = await deliverToLoaded(alert, loaded);
 */
export async function loadConfiguredOutputs(
  project: Project,
  credentials: CredentialStore,
  context: OutputContext,
  names: readonly string[],
): Promise<LoadedOutput[]> {
  await loadServices(names.map((name) => name.slice(0, name.indexOf(':'))));
  const settings = readOutputSettings(project);
  const configured = configuredOutputs(project.outputs);
  return Promise.all(
    names.map(async (name): Promise<LoadedOutput> => {
      const colon = name.indexOf(':');
      const service = name.slice(0, colon);
      const descriptor = name.slice(colon + 1);
      const entry = configured.find((o) => o.service === service && o.descriptor === descriptor);
      if (colon <= 0 || !entry) {
        return unavailable(name, failed('config', `${name} is not configured in conf/outputs.json; add it with: streamalert output new --service ${service || '<SERVICE>'}`));
      }
      let cls: OutputClass;
      try {
        cls = getService(service);
      } catch (error) {
        return unavailable(name, failed('config', (error as Error).message));
      }
      const values: Record<string, string | Secret> = { ...ownEntry(ownEntry(settings, service), descriptor) };
      const resourceProperty = resourcePropertyOf(cls);
      if (resourceProperty && entry.resource !== undefined) values[resourceProperty] = entry.resource;
      if (Object.values(cls.properties).some((prop) => prop.credRequirement)) {
        try {
          Object.assign(values, await credentials.get({ service, descriptor }));
        } catch (error) {
          return unavailable(name, credentialsFailure(name, error));
        }
      }
      try {
        return { kind: 'ready', name, output: createOutput(service, { descriptor, values }, context) };
      } catch (error) {
        return unavailable(name, failed('config', (error as Error).message));
      }
    }),
  );
}

/**
 * Delivers an alert to every ready output (see `deliver`) and reports the unavailable ones
 * with their reason, all in the order loaded.
 *
 * @example
 *   const reports = await deliverToLoaded(alert, await loadConfiguredOutputs(project, credentials, context, alert.outputs));
 */
export async function deliverToLoaded(alert: Alert, loaded: readonly LoadedOutput[], publish?: Publish): Promise<DeliveryReport[]> {
  const ready = loaded.flatMap((entry) => (entry.kind === 'ready' ? [entry.output] : []));
  const reports = new Map((await deliver(alert, ready, publish)).map((report) => [report.output, report]));
  return loaded.map((entry) => (entry.kind === 'ready' ? reports.get(entry.output.name)! : { output: entry.name, result: entry.result }));
}

function unavailable(name: string, result: Failed | Retry): LoadedOutput {
  return { kind: 'unavailable', name, result };
}

/**
 * Credentials errors already name the output and the fix, and never carry a secret. Each is
 * retried, never dead-lettered at once: the output is configured, and what is wrong (a key file
 * to restore, a variable, a KMS or IAM policy, a secret to store again) is put right by an
 * operator outside the alert and seen at the next attempt. The retry budget still ends it.
 */
function credentialsFailure(name: string, error: unknown): Retry {
  if (!(error instanceof CredentialsError)) {
    return retry('internal', `${name}: its credentials could not be loaded: ${describeError(error)}`);
  }
  if (error.retryable) return retry('connection', error.message);
  const denied = error instanceof KmsAccessDeniedError || error instanceof AwsAccessDeniedError;
  return retry(denied ? 'auth' : 'config', error.message);
}
