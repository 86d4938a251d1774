import type { Command } from 'commander';
import { getService, loadServices, serviceIds } from '../../outputs/registry.ts';

/** `streamalert output services [--json]`: every registered service and its properties. */
export function registerOutputServices(output: Command): void {
  output
    .command('services')
    .description('list every registered output service and its properties')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ streamalert output services --json')
    .action(async (options: { json?: boolean }) => {
      await loadServices();
      const services = serviceIds().map((id) => {
        const cls = getService(id);
        return {
          service: id,
          name: cls.displayName,
          properties: Object.entries(cls.properties).map(([name, prop]) => ({
            name,
            description: prop.description,
            secret: prop.credRequirement,
            optional: prop.optional,
          })),
        };
      });
      if (options.json) {
        console.log(JSON.stringify(services, null, 2));
        return;
      }
      for (const service of services) {
        const props = service.properties.map((p) => `${p.name}${p.secret ? ' (secret)' : ''}${p.optional ? ' (optional)' : ''}`);
        console.log(`${service.service.padEnd(12)} ${service.name.padEnd(18)} ${props.join(', ')}`);
      }
    });
}
