import { activeRuleData } from '../lookup-tables/active.ts';
import { activeTestFixtures } from '../rules/test-events/fixtures.ts';
import { iocMatchesOf } from './annotate.ts';
import { THREAT_INTEL_FILE } from './config.ts';
import { ThreatIntelError } from './errors.ts';
import type { Indicator } from './indicator.ts';

const NO_IOCS: Readonly<Record<string, readonly string[]>> = Object.freeze({});
const NO_INDICATORS: readonly Indicator[] = Object.freeze([]);

/** Throws unless threat intel runs: in production it must be enabled; in `rules test` fixtures stand in. */
function requireThreatIntel(): void {
  if (activeTestFixtures() !== undefined || activeRuleData()?.threatIntel !== undefined) return;
  throw new ThreatIntelError(`threat intel is not enabled, so no record ever matches: set "enabled": true in ${THREAT_INTEL_FILE}, with "file" (indicators in the project) or "dynamodb_table_name"`);
}

/**
 * Threat intel for rules: what the record matched among the indicators of conf/threat_intel.json
 * (StreamAlert's `streamalert:ioc`). The record also carries the matches under
 * `rec['streamalert:ioc']`, as StreamAlert's rules read them. Throws a ThreatIntelError (a rule
 * error, with the fix) when threat intel is not enabled, rather than never matching in silence.
 *
 * @example
 *   import { rule, threatIntel } from 'streamalert';
 *
 *   // StreamAlert: return ThreatIntel.IOC_KEY in rec and 'ip' in rec[ThreatIntel.IOC_KEY]
 *   export const onelogin_events_threat_intel_example = rule({ logs: ['onelogin:events'], outputs: ['slack:sec'] }, (rec) => threatIntel.matches(rec, 'ip'));
 */
export const threatIntel = Object.freeze({
  /** True when the record matched an indicator (of `iocType`, e.g. 'ip', when given). */
  matches(record: object, iocType?: string): boolean {
    requireThreatIntel();
    const found = iocMatchesOf(record);
    return found !== undefined && (iocType === undefined || Object.hasOwn(found.iocs, iocType));
  },
  /** The matched values by IOC type: `{ ip: ['1.1.1.2'] }`; `{}` when none. */
  iocs(record: object): Readonly<Record<string, readonly string[]>> {
    requireThreatIntel();
    return iocMatchesOf(record)?.iocs ?? NO_IOCS;
  },
  /** The indicators matched, with their `sub_type` (`mal_ip`, `c2_domain`); [] when none. */
  indicators(record: object): readonly Indicator[] {
    requireThreatIntel();
    return iocMatchesOf(record)?.indicators ?? NO_INDICATORS;
  },
});
