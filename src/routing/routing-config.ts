import type { Severity } from '../alerts/alert.ts';
import { ConfigError } from '../config/errors.ts';
import { readOutputSettings } from '../config/output-config.ts';
import type { Project } from '../config/project.ts';
import type { Routing } from './routing.ts';
import { SEVERITY_NAMES, severityNamed } from './severity.ts';

/** The per-output setting (conf/output_settings.json) naming the lowest severity an output takes. */
export const MIN_SEVERITY_SETTING = 'minSeverity';

/**
 * A project's routing, from conf/global.json `routing` (its outputs checked when the project
 * loads) and the `minSeverity` of each output in conf/output_settings.json.
 */
export function routingOf(project: Project): Routing {
  const bySeverity = new Map<Severity, string[]>();
  for (const [name, outputs] of Object.entries(project.global.routing)) {
    if (outputs === undefined) continue;
    const severity = severityNamed(name)!;
    bySeverity.set(severity, [...new Set([...(bySeverity.get(severity) ?? []), ...outputs])]);
  }
  const minSeverity = new Map<string, Severity>();
  for (const [service, descriptors] of Object.entries(readOutputSettings(project))) {
    for (const [descriptor, settings] of Object.entries(descriptors)) {
      const value = settings[MIN_SEVERITY_SETTING];
      if (value === undefined) continue;
      const severity = severityNamed(value);
      if (!severity) {
        throw new ConfigError(`conf/output_settings.json: ${service}:${descriptor} has minSeverity '${value}'; use one of ${SEVERITY_NAMES.join(', ')}`);
      }
      minSeverity.set(`${service}:${descriptor}`, severity);
    }
  }
  return { bySeverity, minSeverity };
}
