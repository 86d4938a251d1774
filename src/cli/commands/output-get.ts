import type { Command } from 'commander';
import { propertyRole } from '../../config/output-config.ts';
import { configuredOutputNamed } from '../output-name.ts';
import { projectOf } from '../project.ts';
import { storedOutput } from '../stored-output.ts';

/** `streamalert output get <service:descriptor> [--json]`: one output, secrets masked. */
export function registerOutputGet(output: Command): void {
  output
    .command('get')
    .argument('<output>', 'service:descriptor, e.g. slack:sec-alerts')
    .description('show one configured output: non-secret values in clear, secrets masked')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ streamalert output get slack:sec-alerts')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const { credentialStoreOf } = await import('../credentials.ts');
      const project = projectOf(command);
      const { cls, descriptor } = await configuredOutputNamed(project, name);
      const { values, secretsProblem } = await storedOutput(project, credentialStoreOf(project), cls, descriptor);

      const properties: Record<string, string> = {};
      for (const [prop, declared] of Object.entries(cls.properties)) {
        const role = propertyRole(cls, prop);
        const value = values[prop];
        if (role === 'descriptor') continue;
        if (role === 'resource') properties[prop] = value ?? '';
        else if (role === 'setting') properties[prop] = value ?? (declared.value ? `${declared.value} (default)` : '');
        else properties[prop] = value !== undefined ? maskSecret(value) : secretsProblem ? '(cannot be read)' : '(not set)';
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
 * Shows that a secret is set without showing any of it: a URL keeps only scheme and host
 * (where it points); anything else, not even its length.
 *
 * @example
 *   maskSecret('https://hooks.slack.com/services/T0/B0/abc')  // 'https://hooks.slack.com/****'
 *   maskSecret('R0UT1NGKEY')                                  // '**** (set)'
 */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return `${url.protocol}//${url.host}/****`;
  } catch {
    // not a URL
  }
  return '**** (set)';
}
