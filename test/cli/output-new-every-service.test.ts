import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { propertyRole, resourcePropertyOf } from '../../src/config/output-config.ts';
import { loadProject } from '../../src/config/project.ts';
import { checkPropertyValue, type OutputProperty } from '../../src/outputs/property.ts';
import { getService, loadServices, serviceIds, type OutputClass } from '../../src/outputs/registry.ts';
import '../../src/outputs/builtin.ts';
import { createCredentialStore } from '../../src/secrets/create.ts';
import { streamalertAsync, type CliRun } from '../support/cli.ts';
import { findLeaks } from '../support/no-secrets.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

// Every registered service, as `output new` loads them: a service added to builtin.ts is covered here unedited.
await loadServices();

const DESCRIPTOR = 'sec-alerts';

/**
 * CLI processes run at once across the services' tests: one CLI start is about a second of CPU,
 * and two at a time halve the file's time on a 2-core machine without crowding out other work.
 */
const PARALLEL_CLI_RUNS = 2;
const waiting: Array<() => void> = [];
let running = 0;

/** Runs `streamalertAsync`, at most PARALLEL_CLI_RUNS at once. */
async function limitedCli(...args: Parameters<typeof streamalertAsync>): Promise<CliRun> {
  // A run that ends hands its slot to the next one waiting, so no newcomer slips in between.
  if (running < PARALLEL_CLI_RUNS) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await streamalertAsync(...args);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/**
 * Values the declaration alone cannot give: a property whose `check` wants a shape. Keep it small;
 * a secret's override wraps its random token, so that the token is what the leak checks look for.
 */
const OVERRIDES: Readonly<Record<string, Readonly<Record<string, (token: string) => string>>>> = {
  email: { from: () => 'StreamAlert <alerts@example.com>', to: () => 'soc@example.com, oncall@example.com' },
  github: { repository: () => 'acme/security-alerts' },
  'slack-bot': { channel: () => '#sec-alerts', token: (token) => `xoxb-${token}` },
  webhook: { headers: (token) => JSON.stringify({ Authorization: `Bearer ${token}` }), body_template: () => '{"text":"{{rule_name}}"}' },
};

interface Derived {
  /** Every property's value, the descriptor included: what `--from-file -` is given. */
  readonly values: Record<string, string>;
  /** The random part of each secret: it must never be written down anywhere in clear. */
  readonly tokens: string[];
}

/** A valid value for every property of `cls`, from its declaration (and OVERRIDES); fails naming a property no derived value passes. */
function derivedValues(cls: OutputClass): Derived {
  const values: Record<string, string> = { descriptor: DESCRIPTOR };
  const tokens: string[] = [];
  for (const [name, prop] of Object.entries(cls.properties)) {
    if (name === 'descriptor') continue;
    const token = randomBytes(16).toString('hex');
    const override = OVERRIDES[cls.service]?.[name];
    const value = override ? override(token) : prop.credRequirement ? secretValue(cls.service, prop, token) : settingValue(cls.service, name, prop);
    if (prop.credRequirement) tokens.push(token);
    const problem = checkPropertyValue(name, prop, value);
    if (problem) throw new Error(`${cls.service}: the derived value fails (${problem}): add an override for ${cls.service}.${name} to OVERRIDES`);
    values[name] = value;
  }
  return { values, tokens };
}

function secretValue(service: string, prop: OutputProperty, token: string): string {
  return prop.isUrl ? `https://${service}.example.com/hooks/${token}` : token;
}

function settingValue(service: string, name: string, prop: OutputProperty): string {
  if (prop.choices) return prop.choices[0]!;
  if (prop.value !== '') return prop.value;
  return prop.isUrl ? `https://${service}.example.com/${name}` : `${service}-${name}`;
}

/**
 * The first non-secret property (a setting or an AWS resource) with another valid value, and
 * that value: what `--update` changes. Undefined for a service whose only values are secrets.
 */
function changedValue(cls: OutputClass, values: Readonly<Record<string, string>>): [string, string] | undefined {
  for (const [name, prop] of Object.entries(cls.properties)) {
    const role = propertyRole(cls, name);
    if (role !== 'setting' && role !== 'resource') continue;
    const current = values[name]!;
    const changed = prop.choices ? prop.choices.find((choice) => choice !== current) : prop.isUrl ? `https://${cls.service}.example.com/changed` : `changed-${current}`;
    if (changed !== undefined && checkPropertyValue(name, prop, changed) === undefined) return [name, changed];
  }
  return undefined;
}

/** Every regular file under `dir`, by path, not following links (a temporary project links node_modules/streamalert to this checkout). */
function filesUnder(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, filesUnder(path));
    else if (entry.isFile()) files[path] = readFileSync(path);
  }
  return files;
}

function readJson(path: string): Record<string, any> {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

/**
 * Asserts where each value landed: the descriptor (and an AWS resource) in conf/outputs.json in
 * StreamAlert's shape, every other non-secret value in conf/output_settings.json, each secret in
 * the credentials backend and, in clear, nowhere in the project, the home folder or `printed`.
 */
async function expectStoredAsDeclared(cls: OutputClass, project: string, env: NodeJS.ProcessEnv & { HOME: string }, derived: Derived, printed: string): Promise<void> {
  const { values, tokens } = derived;
  const named = (role: string) => Object.fromEntries(Object.keys(cls.properties).filter((name) => propertyRole(cls, name) === role).map((name) => [name, values[name]!]));
  const resource = resourcePropertyOf(cls);

  const outputs = readJson(join(project, 'conf', 'outputs.json'));
  expect(outputs).toEqual({ [cls.service]: resource ? { [DESCRIPTOR]: values[resource] } : [DESCRIPTOR] });

  const settings = readJson(join(project, 'conf', 'output_settings.json'));
  expect(settings[cls.service]?.[DESCRIPTOR] ?? {}).toEqual(named('setting'));

  const secrets = named('secret');
  if (Object.keys(secrets).length > 0) {
    const store = createCredentialStore(loadProject(project), { env, notice: () => {} });
    const stored = await store.get({ service: cls.service, descriptor: DESCRIPTOR });
    expect(Object.fromEntries(Object.entries(stored).map(([name, secret]) => [name, secret.reveal()]))).toEqual(secrets);
  }

  expect(findLeaks(tokens, { ...filesUnder(project), ...filesUnder(env.HOME), printed })).toEqual([]);
}

/** What `output get` shows for a secret: a URL's scheme and host, anything else only that it is set. */
function maskedForm(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? `${url.protocol}//${url.host}/****` : '**** (set)';
}

describe('streamalert output new --from-file, for every registered service', () => {
  it('has services to cover', () => {
    expect(serviceIds().length).toBeGreaterThanOrEqual(32);
  });

  // Three CLI processes per service (new, get, update), the services side by side (limitedCli);
  // the stored values are read in this process.
  it.concurrent.each(serviceIds())('%s: stores each value where its declaration says, shows secrets masked, and an update keeps them', async (service) => {
    const cls = getService(service);
    const project = tempProject({});
    const env = isolatedEnv();
    const cli = (args: string[], input?: string) => limitedCli(['--project', project, ...args], { env, ...(input !== undefined && { input }) });
    const derived = derivedValues(cls);

    const made = await cli(['output', 'new', '--service', service, '--from-file', '-'], JSON.stringify(derived.values));
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Configured ${service}:${DESCRIPTOR}.`);
    await expectStoredAsDeclared(cls, project, env, derived, made.stdout + made.stderr);

    const shown = await cli(['output', 'get', `${service}:${DESCRIPTOR}`, '--json']);
    expect(shown.status, shown.stderr).toBe(0);
    const expected = Object.fromEntries(
      Object.keys(cls.properties)
        .filter((name) => name !== 'descriptor')
        .map((name) => [name, propertyRole(cls, name) === 'secret' ? maskedForm(derived.values[name]!) : derived.values[name]]),
    );
    expect(JSON.parse(shown.stdout)).toEqual({ service, descriptor: DESCRIPTOR, properties: expected });
    expect(findLeaks(derived.tokens, { 'output get': shown.stdout + shown.stderr })).toEqual([]);

    // Only the changed value is given: every secret must come back from the store unchanged.
    const change = changedValue(cls, derived.values);
    const update = await cli(['output', 'new', '--service', service, '--descriptor', DESCRIPTOR, '--update', '--from-file', '-'], JSON.stringify(change ? { [change[0]]: change[1] } : {}));
    expect(update.status, update.stderr).toBe(0);
    expect(update.stdout).toContain(`Configured ${service}:${DESCRIPTOR} (updated).`);
    const updated = { ...derived, values: { ...derived.values, ...(change && { [change[0]]: change[1] }) } };
    await expectStoredAsDeclared(cls, project, env, updated, update.stdout + update.stderr);
  });
});
