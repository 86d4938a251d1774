import { Command, CommanderError } from 'commander';
import { getService, serviceIds } from '../outputs/registry.ts';
import '../outputs/builtin.ts';

/** Builds the `streamalert` command tree. Each command lives in its own file under src/cli/. */
export function buildProgram(): Command {
  const program = new Command('streamalert')
    .description('StreamAlert for TypeScript: rules over your logs, alerts delivered to Slack, PagerDuty, SOAR, S3, Lambda')
    .option('--project <dir>', 'project folder (default: $STREAMALERT_PROJECT or the current directory)')
    .exitOverride();

  const output = program.command('output').description('configure and inspect outputs').exitOverride();
  output
    .command('services')
    .description('list every registered output service and its properties')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ streamalert output services --json')
    .action((options: { json?: boolean }) => {
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
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 the work failed, 2 bad usage or config). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
