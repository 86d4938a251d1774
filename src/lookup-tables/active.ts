import type { ThreatIntel } from '../threat-intel/threat-intel.ts';
import type { LookupTables } from './tables.ts';

/** What rules read besides their record: the lookup tables and threat intel of the project being run. */
export interface RuleData {
  readonly tables: LookupTables;
  /** Undefined when threat intel is not enabled (or its configuration has a problem). */
  readonly threatIntel: ThreatIntel | undefined;
}

let active: RuleData | undefined;

/**
 * Makes `data` what `lookupTable()` and threat-intel matching read, as StreamAlert's
 * LookupTables singleton: rules are plain functions with no handle on the project, and a
 * process runs one project. loadEnrichment installs it; Pipeline.prepare installs its own again.
 */
export function installRuleData(data: RuleData | undefined): void {
  active = data;
}

/** The installed data, or undefined when no project has loaded in this process. */
export function activeRuleData(): RuleData | undefined {
  return active;
}
