import { DuplicateServiceError, OutputConfigError, OutputDeclarationError, UnknownServiceError } from './errors.ts';
import { checkPropertyValue, property, type OutputProperty } from './property.ts';
import { reveal } from '../secrets/secret.ts';
import type { OutputBase, OutputContext, OutputSettings } from './output.ts';
import { RATE_SETTING } from './limits.ts';

/** The highest `ratePerSecond` a user may set: beyond it, a limit limits nothing. */
const MAX_RATE_PER_SECOND = 100_000;

/** An output class: the constructor plus its static declaration. */
export type OutputClass = (new (settings: OutputSettings, context: OutputContext) => OutputBase) &
  Pick<typeof OutputBase, 'service' | 'displayName' | 'properties' | 'limits'>;

const services = new Map<string, OutputClass>();

/**
 * Built-in services declared but not imported yet, by id (see builtin.ts): loadServices() imports
 * them, so a command that only reads the configuration (`output list`) loads no output code.
 */
const unloaded = new Map<string, () => Promise<unknown>>();

/**
 * Registers an output class under its `service` id (the seed's `@output` decorator).
 * A second class with the same id is an error at load, not a silent replacement.
 */
export function output<C extends OutputClass>(cls: C, context?: ClassDecoratorContext): void {
  // As a decorator, register once the class's static fields (service, properties) are defined:
  // standard decorators run before static initializers.
  if (context) context.addInitializer(() => register(cls));
  else register(cls);
}

function register(cls: OutputClass): void {
  const { service, properties } = cls;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service)) {
    throw new OutputDeclarationError(`${cls.name} needs a static service id of lowercase letters, digits and dashes (got '${service}')`);
  }
  if (Object.keys(properties)[0] !== 'descriptor') {
    throw new OutputDeclarationError(`${cls.name} (${service}) must declare 'descriptor' as its first property`);
  }
  if (services.has(service)) throw new DuplicateServiceError(service);
  services.set(service, cls);
  unloaded.delete(service);
}

/**
 * Declares a built-in service by id and the module that registers it, imported by loadServices().
 *
 * @example
 *   builtinService('slack', () => import('./slack/slack.ts'));
 */
export function builtinService(service: string, load: () => Promise<unknown>): void {
  if (!services.has(service)) unloaded.set(service, load);
}

/**
 * Imports the declared built-in services not imported yet: every one, or only those of `only`
 * (ids not declared are left for getService to name). What a command calls before it needs a
 * service's class (to prompt for its properties, to build or describe an output). A process that
 * delivers loads just the services its outputs use: all of them cost about 100 ms, one about 10.
 *
 * @example
 *   await loadServices(['slack']);
 *   getService('slack');
 */
export async function loadServices(only?: readonly string[]): Promise<void> {
  const pending = [...unloaded].filter(([service]) => only === undefined || only.includes(service));
  await Promise.all(pending.map(([, load]) => load()));
  for (const [service] of pending) {
    if (!services.has(service)) throw new OutputDeclarationError(`the module declared for the built-in service '${service}' registers no such service`);
  }
}

/** The class registered for a service id; an unknown id names every known one. */
export function getService(service: string): OutputClass {
  const cls = services.get(service);
  if (cls) return cls;
  // A programming error, not a user's: the caller forgot to load the services first.
  if (unloaded.has(service)) throw new OutputDeclarationError(`output service '${service}' is not loaded yet: await loadServices() before getService()`);
  throw new UnknownServiceError(service, serviceIds());
}

/** Every registered service id, sorted: the CLI's `--service` choices. */
export function serviceIds(): string[] {
  return [...new Set([...services.keys(), ...unloaded.keys()])].sort();
}

/** Whether `cls` is the class registered for its service id. */
export function isRegistered(cls: unknown): boolean {
  return [...services.values()].includes(cls as OutputClass);
}

/** Removes a registration; for tests that register throwaway services. */
export function unregister(service: string): void {
  services.delete(service);
}

/**
 * The descriptor property in the seed's wording.
 *
 * @example
 *   descriptorProperty('Slack', 'channel, group, etc')
 *   // prompts: Please supply a short and unique descriptor for this Slack integration (ie: channel, group, etc):
 */
export function descriptorProperty(displayName: string, examples: string): OutputProperty {
  return property(`a short and unique descriptor for this ${displayName} integration (ie: ${examples})`);
}

/**
 * Builds a configured output, checking every property value first so that a bad
 * configuration is reported by name before any alert is sent.
 */
export function createOutput(service: string, settings: OutputSettings, context: OutputContext): OutputBase {
  const cls = getService(service);
  const name = `${service}:${settings.descriptor}`;
  for (const [key, prop] of Object.entries(cls.properties)) {
    const raw = key === 'descriptor' ? settings.descriptor : settings.values[key];
    const problem = checkPropertyValue(key, prop, raw === undefined ? '' : reveal(raw));
    if (problem) throw new OutputConfigError(`${name}: ${problem}; run 'streamalert output new --service ${service} --update' to fix it`);
  }
  const rate = settings.values[RATE_SETTING];
  if (rate !== undefined && !(typeof rate === 'string' && /^\d+(\.\d+)?$/.test(rate) && Number(rate) <= MAX_RATE_PER_SECOND)) {
    throw new OutputConfigError(`${name}: ${RATE_SETTING} in conf/output_settings.json must be a number of sends per second from 0 (no limit) to ${MAX_RATE_PER_SECOND}, e.g. "0.5"`);
  }
  return new cls(settings, context);
}
