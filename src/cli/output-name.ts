import { isConfigured } from '../config/output-config.ts';
import { configuredOutputs, type Project } from '../config/project.ts';
import { getService, loadServices, type OutputClass } from '../outputs/registry.ts';
import { CliError } from './errors.ts';
// The built-in services' declarations, which loadServices imports.
import '../outputs/builtin.ts';

/**
 * Resolves a `service:descriptor` argument to a configured output, or fails with exit 2
 * naming what is configured. Loads the service classes (see loadServices).
 */
export async function configuredOutputNamed(project: Project, name: string): Promise<{ cls: OutputClass; descriptor: string }> {
  const colon = name.indexOf(':');
  if (colon <= 0 || colon === name.length - 1) {
    throw new CliError(`'${name}' is not an output name: use service:descriptor, e.g. slack:sec-alerts`);
  }
  const service = name.slice(0, colon);
  const descriptor = name.slice(colon + 1);
  await loadServices();
  const cls = getService(service);
  if (!isConfigured(project, service, descriptor)) {
    const known = configuredOutputs(project.outputs).map((o) => `${o.service}:${o.descriptor}`);
    throw new CliError(`no output ${name} is configured in ${project.dir}/conf/outputs.json. ${known.length ? `Configured: ${known.join(', ')}` : `Configure one with: streamalert output new --service ${service}`}`);
  }
  return { cls, descriptor };
}
