import { SEVERITIES, type Severity } from '../alerts/alert.ts';

/**
 * Other tools' names for our severities (Panther's, Falcosidekick's), accepted wherever a user
 * names a severity in configuration: `high` is our `error`, `medium` our `warning`, `low` our `info`.
 */
const ALIASES: Readonly<Record<string, Severity>> = { high: 'error', medium: 'warning', low: 'info' };

/** Every name a severity may be given by, ours first. */
export const SEVERITY_NAMES: readonly string[] = [...SEVERITIES, ...Object.keys(ALIASES)];

/** The severity a name stands for, or undefined when it names none. */
export function severityNamed(name: string): Severity | undefined {
  return (SEVERITIES as readonly string[]).includes(name) ? (name as Severity) : ALIASES[name];
}

/** Whether `severity` is `minimum` or above it (critical > error > warning > info). */
export function atLeast(severity: Severity, minimum: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(minimum);
}
