import type { Command } from 'commander';
import { ownEntry, propertyRole, readOutputSettings } from '../../config/output-config.ts';
import { configuredOutputs } from '../../config/project.ts';
import { credentialStoreOf } from '../credentials.ts';
import { configuredOutputNamed } from '../output-name.ts';
import { projectOf } from '../project.ts';

/** `streamalert output get <service:descriptor> [--json]`: one output, secrets masked. */
export function registerOutputGet(output: Command): void {
  output
    .command('get')
    .argument('<output>', 'service:descriptor, e.g. slack:sec-alerts')
    .description('show one configured output: non-secret values in clear, secrets masked')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ streamalert output get slack:sec-alerts')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const project = projectOf(command);
      const { cls, descriptor } = configuredOutputNamed(project, name);
      const resource = configuredOutputs(project.outputs).find((o) => o.service === cls.service && o.descriptor === descriptor)?.resource;
      const settings = ownEntry(ownEntry(readOutputSettings(project), cls.service), descriptor) ?? {};

      let secrets: Record<string, { reveal(): string }> = {};
      let secretsProblem: string | undefined;
      const hasSecrets = Object.values(cls.properties).some((prop) => prop.credRequirement);
      if (hasSecrets) {
        try {
          secrets = await credentialStoreOf(project).get({ service: cls.service, descriptor });
        } catch (error) {
          secretsProblem = (error as Error).message;
        }
      }

      const properties: Record<string, string> = {};
      for (const [prop, declared] of Object.entries(cls.properties)) {
        const role = propertyRole(cls, prop);
        if (role === 'descriptor') continue;
        if (role === 'resource') properties[prop] = resource ?? '';
        else if (role === 'setting') properties[prop] = ownEntry(settings, prop) ?? (declared.value ? `${declared.value} (default)` : '');
        else properties[prop] = secrets[prop] ? maskSecret(secrets[prop].reveal()) : secretsProblem ? '(cannot be read)' : '(not set)';
      }

      if (options.json) {
        console.log(JSON.stringify({ service: cls.service, descriptor, properties, ...(secretsProblem ? { error: secretsProblem } : {}) }, null, 2));
      } else {
        console.log(`${cls.service}:${descriptor}`);
        for (const [prop, value] of Object.entries(properties)) console.log(`  ${prop}: ${value}`);
        if (secretsProblem) console.log(`  (secrets could not be read: ${secretsProblem})`);
      }
    });
}

/**
 * Shows that a secret is set without showing it: a URL keeps only scheme and host
 * (where it points), anything else only its length.
 */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return `${url.protocol}//${url.host}/****`;
  } catch {
    // not a URL
  }
  return `**** (${value.length} characters)`;
}
