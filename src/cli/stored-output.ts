import { ownEntry, propertyRole, readOutputSettings } from '../config/output-config.ts';
import { configuredOutputs, type Project } from '../config/project.ts';
import type { OutputClass } from '../outputs/registry.ts';
import type { CredentialStore } from '../secrets/store.ts';

/** What is stored for one configured output, by property name; a property with nothing stored is absent. */
export interface StoredOutput {
  readonly values: Readonly<Record<string, string>>;
  /** Why the secrets could not be read (no master key, ...), if they could not. */
  readonly secretsProblem?: string;
}

/**
 * What is stored for one configured output, property by property: its resource from
 * conf/outputs.json, its settings from conf/output_settings.json and its secrets from the
 * credentials backend. Secrets come back in clear, to be masked (`output get`) or kept by an
 * update (`output new --update`): never to be printed.
 *
 * @example
 *   const { values } = await storedOutput(project, credentialStoreOf(project), getService('pagerduty'), 'oncall');
 *   values.url  // the endpoint override, if one is configured
 */
export async function storedOutput(project: Project, credentials: CredentialStore, cls: OutputClass, descriptor: string): Promise<StoredOutput> {
  const resource = configuredOutputs(project.outputs).find((o) => o.service === cls.service && o.descriptor === descriptor)?.resource;
  const settings = ownEntry(ownEntry(readOutputSettings(project), cls.service), descriptor) ?? {};
  const names = Object.keys(cls.properties);

  let secrets: Record<string, { reveal(): string }> = {};
  let secretsProblem: string | undefined;
  if (names.some((name) => propertyRole(cls, name) === 'secret')) {
    try {
      secrets = await credentials.get({ service: cls.service, descriptor });
    } catch (error) {
      secretsProblem = (error as Error).message;
    }
  }

  const values: Record<string, string> = {};
  for (const name of names) {
    const role = propertyRole(cls, name);
    const value = role === 'resource' ? resource : role === 'setting' ? ownEntry(settings, name) : role === 'secret' ? ownEntry(secrets, name)?.reveal() : undefined;
    if (value !== undefined && value !== '') values[name] = value;
  }
  return { values, ...(secretsProblem !== undefined && { secretsProblem }) };
}
