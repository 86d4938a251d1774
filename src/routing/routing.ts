import type { Severity } from '../alerts/alert.ts';
import { atLeast } from './severity.ts';

/**
 * Where alerts go by severity: conf/global.json `routing` gives the outputs of alerts whose rule
 * names none (Panther's default destinations), and each output's `minSeverity` in
 * conf/output_settings.json keeps alerts below it away from that output (Falcosidekick's
 * `minimumpriority`), whoever named it. A rule's own outputs win over the routes.
 */
export interface Routing {
  readonly bySeverity: ReadonlyMap<Severity, readonly string[]>;
  readonly minSeverity: ReadonlyMap<string, Severity>;
}

export const NO_ROUTING: Routing = { bySeverity: new Map(), minSeverity: new Map() };

/**
 * The outputs an alert of `severity` goes to: the rule's own, or else its severity's route;
 * without those whose minSeverity is above it.
 *
 * @example
 *   routeAlert(routing, 'warning', [])  // conf/global.json routing.warning, less outputs with minSeverity error
 */
export function routeAlert(routing: Routing, severity: Severity, outputs: readonly string[]): readonly string[] {
  const chosen = outputs.length > 0 ? outputs : (routing.bySeverity.get(severity) ?? []);
  if (routing.minSeverity.size === 0) return chosen;
  return chosen.filter((output) => {
    const minimum = routing.minSeverity.get(output);
    return minimum === undefined || atLeast(severity, minimum);
  });
}

/** Whether any severity has a route: then a rule may name no outputs. */
export function hasRoutes(routing: Routing): boolean {
  return routing.bySeverity.size > 0;
}
