import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from './zod.ts';
import type { OutputClass } from '../outputs/registry.ts';
import type { CredentialStore } from '../secrets/store.ts';
import { writeFileAtomic } from './atomic.ts';
import { ConfigError } from './errors.ts';
import { DESCRIPTOR, saveOutputs, type Project } from './project.ts';

/**
 * Where each property of an output is kept:
 * - descriptor: the key in conf/outputs.json
 * - resource: an AWS output's bucket/function, the value in conf/outputs.json (StreamAlert's shape)
 * - secret: a credential, encrypted by the credentials backend and nowhere else
 * - setting: any other non-secret value (e.g. an endpoint override), in conf/output_settings.json
 */
export type PropertyRole = 'descriptor' | 'resource' | 'secret' | 'setting';

export function propertyRole(cls: OutputClass, name: string): PropertyRole {
  if (name === 'descriptor') return 'descriptor';
  if (name === resourcePropertyOf(cls)) return 'resource';
  return cls.properties[name]?.credRequirement ? 'secret' : 'setting';
}

/** The AWS resource property of an AwsOutput class, or undefined for other services. */
export function resourcePropertyOf(cls: OutputClass): string | undefined {
  const value = (cls as { resourceProperty?: unknown }).resourceProperty;
  return typeof value === 'string' ? value : undefined;
}

const SettingsFileSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.string())));
type SettingsFile = z.infer<typeof SettingsFileSchema>;

function settingsPath(project: Project): string {
  return join(project.dir, 'conf', 'output_settings.json');
}

/**
 * A token that changes whenever conf/outputs.json or conf/output_settings.json is written: every
 * write replaces the file (atomically: a new inode), and an edit in place changes its time or size.
 * Two stats, so a delivering process can check it before every attempt.
 *
 * @example
 *   if (outputConfigVersion(project.dir) !== seen) reloadOutputs();
 */
export function outputConfigVersion(projectDir: string): string {
  return ['outputs.json', 'output_settings.json']
    .map((file) => {
      const stats = statSync(join(projectDir, 'conf', file), { throwIfNoEntry: false });
      return stats ? `${stats.ino}:${stats.mtimeMs}:${stats.size}` : 'none';
    })
    .join('/');
}

/** conf/output_settings.json: service -> descriptor -> non-secret property values. */
export function readOutputSettings(project: Project): SettingsFile {
  const path = settingsPath(project);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); fix the file`);
  }
  const parsed = SettingsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${path} is not valid: expected {"service": {"descriptor": {"property": "value"}}}`);
  return parsed.data;
}

function writeOutputSettings(project: Project, settings: SettingsFile): void {
  const nonEmpty = Object.fromEntries(
    Object.entries(settings)
      .map(([service, descriptors]) => [service, Object.fromEntries(Object.entries(descriptors).filter(([, v]) => Object.keys(v).length > 0))] as const)
      .filter(([, descriptors]) => Object.keys(descriptors).length > 0),
  );
  if (Object.keys(nonEmpty).length === 0 && !existsSync(settingsPath(project))) return;
  writeFileAtomic(settingsPath(project), `${JSON.stringify(nonEmpty, null, 2)}\n`);
}

/**
 * `object[key]` when `key` is the object's own: a descriptor such as `toString` or `constructor`
 * must never find what every object inherits. Use it wherever outputs.json or
 * output_settings.json objects are read by a name a user chose.
 *
 * @example
 *   ownEntry(settings.slack, 'toString')  // undefined, unless output_settings.json configures slack:toString
 */
export function ownEntry<T>(object: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * What is wrong with a descriptor a user chose, or undefined: conf/outputs.json accepts only
 * letters, digits, `-`, `_` and `.`, and `__proto__`, which JSON readers drop, would vanish
 * from it. Checked before anything is stored, so a descriptor never breaks the project.
 *
 * @example
 *   descriptorProblem('sec alerts')  // "descriptor 'sec alerts' may use only letters, digits, '-', '_' and '.'"
 */
export function descriptorProblem(descriptor: string): string | undefined {
  if (!DESCRIPTOR.test(descriptor)) return `descriptor '${descriptor}' may use only letters, digits, '-', '_' and '.'`;
  if (descriptor === '__proto__') return "descriptor '__proto__' is reserved (JSON readers drop it); choose another";
  return undefined;
}

/** Whether `service:descriptor` is in conf/outputs.json. */
export function isConfigured(project: Project, service: string, descriptor: string): boolean {
  const entries = ownEntry(project.outputs, service);
  if (!entries) return false;
  return Array.isArray(entries) ? entries.includes(descriptor) : Object.hasOwn(entries, descriptor);
}

/**
 * Stores one output's configuration: secrets to the credentials backend first, then the
 * non-secret settings, and the descriptor in conf/outputs.json last, so that an interruption
 * never leaves an output listed whose secrets were not stored.
 */
export async function saveOutputConfig(
  project: Project,
  store: CredentialStore,
  cls: OutputClass,
  values: Readonly<Record<string, string>>,
): Promise<void> {
  const descriptor = values.descriptor ?? '';
  const byRole = (role: PropertyRole) =>
    Object.fromEntries(Object.keys(cls.properties).filter((name) => propertyRole(cls, name) === role && values[name]).map((name) => [name, values[name]!]));

  const secrets = byRole('secret');
  if (Object.keys(secrets).length > 0) await store.put({ service: cls.service, descriptor }, secrets);

  const settings = readOutputSettings(project);
  // Keys the service does not declare are the engine's (fallback, ...): an update keeps them.
  const engineKeys = Object.fromEntries(Object.entries(ownEntry(settings[cls.service], descriptor) ?? {}).filter(([key]) => !Object.hasOwn(cls.properties, key)));
  settings[cls.service] = { ...settings[cls.service], [descriptor]: { ...engineKeys, ...byRole('setting') } };
  writeOutputSettings(project, settings);

  const resourceProperty = resourcePropertyOf(cls);
  const current = project.outputs[cls.service];
  if (resourceProperty) {
    const map = current && !Array.isArray(current) ? current : {};
    project.outputs[cls.service] = { ...map, [descriptor]: values[resourceProperty] ?? '' };
  } else {
    const list = Array.isArray(current) ? current : [];
    project.outputs[cls.service] = list.includes(descriptor) ? list : [...list, descriptor];
  }
  saveOutputs(project.dir, project.outputs);
}

/**
 * Removes one output: from conf/outputs.json first (so it stops being used), then its
 * settings and its stored secrets.
 */
export async function removeOutputConfig(project: Project, store: CredentialStore, cls: OutputClass, descriptor: string): Promise<void> {
  const current = project.outputs[cls.service];
  if (Array.isArray(current)) {
    project.outputs[cls.service] = current.filter((d) => d !== descriptor);
  } else if (current) {
    const { [descriptor]: _removed, ...rest } = current;
    project.outputs[cls.service] = rest;
  }
  if (Object.keys(project.outputs[cls.service] ?? {}).length === 0) delete project.outputs[cls.service];
  saveOutputs(project.dir, project.outputs);

  const settings = readOutputSettings(project);
  if (ownEntry(settings[cls.service], descriptor)) {
    delete settings[cls.service]![descriptor];
    writeOutputSettings(project, settings);
  }
  await store.delete({ service: cls.service, descriptor });
}
