import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { descriptorProblem, isConfigured, saveOutputConfig } from '../../config/output-config.ts';
import { checkPropertyValue, type OutputProperty } from '../../outputs/property.ts';
import { getService, serviceIds, type OutputClass } from '../../outputs/registry.ts';
import { MasterKeyError } from '../../secrets/errors.ts';
import { credentialStoreOf } from '../credentials.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectOf } from '../project.ts';
import { isPromptCancelled, promptProperty } from '../prompts.ts';
import type { Project } from '../../config/project.ts';

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
    .option('--update', 'replace the configuration of an existing descriptor')
    .addHelpText(
      'after',
      `
Examples:
  $ streamalert output new --service slack
  $ echo '{"descriptor": "sec-alerts", "url": "https://hooks.slack.com/services/..."}' | streamalert output new --service slack --from-file -`,
    )
    .action(async (options: NewOptions, command: Command) => {
      // The output being added may be the deadLetterOutput global.json already names.
      const project = projectOf(command, { checkDeadLetterOutput: false });
      const cls = getService(options.service);
      const values = options.fromFile !== undefined ? valuesFromFile(cls, options) : await valuesFromPrompts(project, cls, options);
      if (options.fromFile !== undefined) checkDescriptorIsNew(project, cls, values.descriptor ?? '', options.update);

      try {
        await saveOutputConfig(project, credentialStoreOf(project), cls, values);
      } catch (error) {
        // A master key that is missing, unsafe or would strand stored secrets is configuration: exit 2.
        if (error instanceof MasterKeyError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      const name = `${cls.service}:${values.descriptor}`;
      console.log(`Configured ${name}${options.update ? ' (updated)' : ''}. Send it a test alert with: streamalert output test ${name}`);
    });
}

/** The non-interactive path: every value from a JSON object, checked exactly as prompts check. */
function valuesFromFile(cls: OutputClass, options: NewOptions): Record<string, string> {
  const source = options.fromFile === '-' ? 'standard input' : options.fromFile!;
  let text: string;
  try {
    text = readFileSync(options.fromFile === '-' ? 0 : options.fromFile!, 'utf8');
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
  const values: Record<string, string> = {};
  for (const [name, prop] of Object.entries(cls.properties)) {
    const value = name === 'descriptor' && options.descriptor !== undefined ? options.descriptor : given[name];
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new CliError(`property '${name}' must be a string`);
    }
    const text = value === undefined ? '' : String(value);
    const problem = checkValue(name, prop, text);
    if (problem) throw new CliError(`${problem} (${cls.service}, from ${source})`);
    values[name] = text;
  }
  return values;
}

async function valuesFromPrompts(project: Project, cls: OutputClass, options: NewOptions): Promise<Record<string, string>> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      `no terminal to prompt on. Supply the values as JSON instead:\n  streamalert output new --service ${cls.service} --from-file values.json   (or --from-file - for stdin)\nwith values.json like ${exampleObject(cls)}`,
    );
  }
  const values: Record<string, string> = {};
  try {
    for (const [name, prop] of Object.entries(cls.properties)) {
      if (name === 'descriptor' && options.descriptor !== undefined) {
        const problem = checkValue(name, prop, options.descriptor);
        if (problem) throw new CliError(problem);
        checkDescriptorIsNew(project, cls, options.descriptor, options.update);
        values[name] = options.descriptor;
        continue;
      }
      const extraCheck = name === 'descriptor' ? (value: string) => descriptorProblem(value) ?? duplicateDescriptorMessage(project, cls, value, options.update) : undefined;
      const value = await promptProperty(name, prop, extraCheck);
      values[name] = value;
    }
  } catch (error) {
    if (isPromptCancelled(error)) throw new CliError('cancelled: nothing was written', EXIT.cancelled);
    throw error;
  }
  return values;
}

/** The property's own rules, and for the descriptor what conf/outputs.json accepts. */
function checkValue(name: string, prop: OutputProperty, value: string): string | undefined {
  return checkPropertyValue(name, prop, value) ?? (name === 'descriptor' ? descriptorProblem(value) : undefined);
}

function checkDescriptorIsNew(project: Project, cls: OutputClass, descriptor: string, update?: boolean): void {
  const message = duplicateDescriptorMessage(project, cls, descriptor, update);
  if (message) throw new CliError(`${message} (or pass --update to replace it)`);
}

/** The seed's wording for a descriptor that is taken. */
function duplicateDescriptorMessage(project: Project, cls: OutputClass, descriptor: string, update?: boolean): string | undefined {
  if (update || !isConfigured(project, cls.service, descriptor)) return undefined;
  return `This descriptor ${descriptor} is already configured for ${cls.service}. Please select a new and unique descriptor`;
}

function exampleObject(cls: OutputClass): string {
  return JSON.stringify(Object.fromEntries(Object.keys(cls.properties).map((name) => [name, '...'])));
}
