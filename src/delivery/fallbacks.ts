import { readOutputSettings } from '../config/output-config.ts';
import { ConfigError } from '../config/errors.ts';
import { configuredOutputs, type Project } from '../config/project.ts';

/**
 * Each output's fallback (`"fallback": "aws-s3:audit"` in its conf/output_settings.json
 * entry): where its dead letters go instead. A fallback that is not configured, or is the
 * output itself, is a ConfigError naming both.
 *
 * @example
 *   fallbacksOf(project).get('slack:sec-alerts')  // 'aws-s3:audit'
 */
export function fallbacksOf(project: Project): Map<string, string> {
  const configured = new Set(configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
  const fallbacks = new Map<string, string>();
  for (const [service, descriptors] of Object.entries(readOutputSettings(project))) {
    for (const [descriptor, settings] of Object.entries(descriptors)) {
      const fallback = settings.fallback;
      if (fallback === undefined) continue;
      const name = `${service}:${descriptor}`;
      if (fallback === name) throw new ConfigError(`conf/output_settings.json: ${name} names itself as its fallback; name another output`);
      if (!configured.has(fallback)) {
        throw new ConfigError(`conf/output_settings.json: the fallback of ${name}, '${fallback}', is not configured in conf/outputs.json (configured: ${[...configured].join(', ') || 'none'})`);
      }
      fallbacks.set(name, fallback);
    }
  }
  return fallbacks;
}
