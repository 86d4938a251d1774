import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { getService, loadServices, serviceIds } from '../../outputs/registry.ts';
import { servicePage } from '../../outputs/service-docs.ts';
// The built-in services' declarations, which loadServices imports.
import '../../outputs/builtin.ts';

/** `streamalert output services [--json]`: every registered service, its properties and its docs page. */
export function registerOutputServices(output: Command): void {
  output
    .command('services')
    .description('list every registered output service, its properties and its docs page')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ streamalert output services --json')
    .action(async (options: { json?: boolean }) => {
      await loadServices();
      const services = serviceIds().map((id) => {
        const cls = getService(id);
        const page = servicePage(id);
        return {
          service: id,
          name: cls.displayName,
          properties: Object.entries(cls.properties).map(([name, prop]) => ({
            name,
            description: prop.description,
            secret: prop.credRequirement,
            optional: prop.optional,
          })),
          limits: cls.limits,
          // A project's own service has no page in the package.
          ...(existsSync(page) && { docs: page }),
        };
      });
      if (options.json) {
        console.log(JSON.stringify(services, null, 2));
        return;
      }
      const idWidth = Math.max(...services.map((service) => service.service.length));
      const nameWidth = Math.max(...services.map((service) => service.name.length));
      for (const service of services) {
        const props = service.properties.filter((p) => p.name !== 'descriptor').map((p) => `${p.name}${p.secret ? ' (secret)' : ''}${p.optional ? ' (optional)' : ''}`);
        console.log(`${service.service.padEnd(idWidth)}  ${service.name.padEnd(nameWidth)}  ${props.join(', ')}`);
        if (service.docs) console.log(`${''.padEnd(idWidth + nameWidth + 4)}${shortPath(service.docs)}`);
      }
    });
}

/** A path from the working folder when it lies below it (node_modules/streamalert/docs/...), else whole. */
function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere;
}
