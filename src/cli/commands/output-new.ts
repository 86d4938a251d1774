import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { descriptorProblem, isConfigured, saveOutputConfig } from '../../config/output-config.ts';
import { configuredOutputs, type Project } from '../../config/project.ts';
import { checkPropertyValue, type OutputProperty } from '../../outputs/property.ts';
import { getService, loadServices, serviceIds, type OutputClass } from '../../outputs/registry.ts';
import { MasterKeyError } from '../../secrets/errors.ts';
import type { CredentialStore } from '../../secrets/store.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';
import { isPromptCancelled, promptProperty } from '../prompts.ts';
import { storedOutput } from '../stored-output.ts';
// The built-in services' declarations, which loadServices imports.
import '../../outputs/builtin.ts';

interface NewOptions {
  service: string;
  descriptor?: string;
  fromFile?: string;
  update?: boolean;
}

/** `streamalert output new --service <SERVICE>`: configure one output, prompting as StreamAlert did. */
export function registerOutputNew(output: Command): void {
  output
    .command('new')
    .description('configure a new output: prompts for each property (secrets masked), or reads them from --from-file')
    .addOption(new Option('--service <service>', 'the output service').choices(serviceIds()).makeOptionMandatory())
    .option('--descriptor <descriptor>', 'the descriptor, instead of prompting for it')
    .option('--from-file <path>', "JSON object of property values ('-' for stdin); never prompts")
    .option('--update', 'change an output that is configured: each prompt offers the stored value (Enter keeps it); with --from-file, properties left out keep theirs')
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert output new --service slack
  $ streamalert output new --service pagerduty --descriptor oncall --update    # Enter keeps each stored value
  $ echo '{"descriptor": "sec-alerts", "url": "https://hooks.slack.com/services/..."}' | streamalert output new --service slack --from-file -`,
    )
    .action(async (options: NewOptions, command: Command) => {
      // The output being added may be the deadLetterOutput global.json already names.
      const project = projectOf(command, { checkDeadLetterOutput: false });
      await loadServices();
      const cls = getService(options.service);
      const { credentialStoreOf } = await import('../credentials.ts');
      const credentials = credentialStoreOf(project);
      const values = options.fromFile !== undefined ? await valuesFromFile(project, credentials, cls, options) : await valuesFromPrompts(project, credentials, cls, options);

      try {
        await saveOutputConfig(project, credentials, cls, values);
      } catch (error) {
        // A master key that is missing, unsafe or would strand stored secrets is configuration: exit 2.
        if (error instanceof MasterKeyError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      const name = `${cls.service}:${values.descriptor}`;
      console.log(`Configured ${name}${options.update ? ' (updated)' : ''}. Send it a test alert with: streamalert output test ${name}`);
    });
}

/**
 * The non-interactive path: every value from a JSON object, checked exactly as prompts check.
 * With --update, a property the object leaves out keeps its stored value.
 */
async function valuesFromFile(project: Project, credentials: CredentialStore, cls: OutputClass, options: NewOptions): Promise<Record<string, string>> {
  const source = options.fromFile === '-' ? 'standard input' : options.fromFile!;
  const given = readValuesObject(cls, source, options.fromFile === '-' ? 0 : options.fromFile!);
  const descriptor = descriptorOf(given.descriptor, options.descriptor, source);
  const descriptorCheck = checkValue('descriptor', cls.properties.descriptor!, descriptor);
  if (descriptorCheck) throw new CliError(`${descriptorCheck} (${cls.service}, from ${source})`);
  checkDescriptorFits(project, cls, descriptor, options.update);
  const stored = options.update ? (await storedOutput(project, credentials, cls, descriptor)).values : {};

  const values: Record<string, string> = { descriptor };
  for (const [name, prop] of Object.entries(cls.properties)) {
    if (name === 'descriptor') continue;
    const value = given[name] ?? stored[name] ?? '';
    const problem = checkValue(name, prop, value);
    if (problem) throw new CliError(`${problem} (${cls.service}, from ${source})`);
    values[name] = value;
  }
  return values;
}

/** The JSON object of property values in `path` (0: standard input), each a string; fails naming what is wrong, never quoting it. */
function readValuesObject(cls: OutputClass, source: string, path: string | 0): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`could not read ${source}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's own message can quote the input, secrets included: say only that it is not JSON.
    throw new CliError(`${source} is not valid JSON; it must hold one JSON object of property values, e.g. ${exampleObject(cls)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError(`${source} must hold a JSON object of property values, e.g. ${exampleObject(cls)}`);
  }
  const given = raw as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(cls.properties, key));
  if (unknown.length > 0) {
    throw new CliError(`unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((k) => `'${k}'`).join(', ')} for ${cls.service}; its properties are: ${Object.keys(cls.properties).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(cls.properties).map(([name, prop]) => [name, textOf(name, prop, given[name])]));
}

/**
 * A value of the JSON object as the text a prompt would have read: a string, or true/false for a
 * property whose choices are those words. Anything else (a number, null, a list) is an error,
 * so `"url": 12345` fails here rather than at delivery.
 */
function textOf(name: string, prop: OutputProperty, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (typeof value === 'boolean' && prop.choices?.includes(String(value))) return String(value);
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  throw new CliError(`property '${name}' must be a string, not ${got}: write it in quotes, e.g. "${name}": "..."`);
}

/** The descriptor from --descriptor or the file; given in both, they must agree. */
function descriptorOf(inFile: string | undefined, flag: string | undefined, source: string): string {
  if (flag !== undefined && inFile !== undefined && flag !== inFile) {
    throw new CliError(`the descriptor is given twice: --descriptor '${flag}' and "descriptor": "${inFile}" in ${source}; give it in one place`);
  }
  return flag ?? inFile ?? '';
}

async function valuesFromPrompts(project: Project, credentials: CredentialStore, cls: OutputClass, options: NewOptions): Promise<Record<string, string>> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      `no terminal to prompt on. Supply the values as JSON instead:\n  streamalert output new --service ${cls.service} --from-file values.json   (or --from-file - for stdin)\nwith values.json like ${exampleObject(cls)}`,
    );
  }
  const { descriptor: descriptorProp, ...rest } = cls.properties;
  try {
    let descriptor: string;
    if (options.descriptor !== undefined) {
      const problem = checkValue('descriptor', descriptorProp!, options.descriptor);
      if (problem) throw new CliError(problem);
      checkDescriptorFits(project, cls, options.descriptor, options.update);
      descriptor = options.descriptor;
    } else {
      descriptor = await promptProperty('descriptor', descriptorProp!, { extraCheck: (value) => descriptorProblem(value) ?? descriptorMisfit(project, cls, value, options.update) });
    }
    // An update offers what is stored: Enter keeps each value, secrets included.
    const stored = options.update ? (await storedOutput(project, credentials, cls, descriptor)).values : {};
    const values: Record<string, string> = { descriptor };
    for (const [name, prop] of Object.entries(rest)) values[name] = await promptProperty(name, prop, { current: stored[name] });
    return values;
  } catch (error) {
    if (isPromptCancelled(error)) throw new CliError('cancelled: nothing was written', EXIT.cancelled);
    throw error;
  }
}

/** The property's own rules, and for the descriptor what conf/outputs.json accepts. */
function checkValue(name: string, prop: OutputProperty, value: string): string | undefined {
  return checkPropertyValue(name, prop, value) ?? (name === 'descriptor' ? descriptorProblem(value) : undefined);
}

function checkDescriptorFits(project: Project, cls: OutputClass, descriptor: string, update?: boolean): void {
  const message = descriptorMisfit(project, cls, descriptor, update);
  if (message) throw new CliError(update ? message : `${message} (or pass --update to replace it)`);
}

/**
 * Why `descriptor` cannot be used: a new output's must be free (the seed's wording), and an
 * update's must be configured, or there is nothing to update.
 */
function descriptorMisfit(project: Project, cls: OutputClass, descriptor: string, update?: boolean): string | undefined {
  const configured = isConfigured(project, cls.service, descriptor);
  if (!update) return configured ? `This descriptor ${descriptor} is already configured for ${cls.service}. Please select a new and unique descriptor` : undefined;
  if (configured) return undefined;
  const others = configuredOutputs(project.outputs).filter((o) => o.service === cls.service).map((o) => o.descriptor);
  return `--update: ${cls.service}:${descriptor} is not configured, so there is nothing to update (configured ${cls.displayName} outputs: ${others.join(', ') || 'none'}); leave out --update to add it`;
}

function exampleObject(cls: OutputClass): string {
  return JSON.stringify(Object.fromEntries(Object.keys(cls.properties).map((name) => [name, '...'])));
}
