import { activeRuleData } from '../lookup-tables/active.ts';
import { fetchValuesByDatatype } from '../normalization/record.ts';
import { activeTestFixtures } from '../rules/test-events/fixtures.ts';
import { candidatesOf, type IndicatorSource } from './threat-intel.ts';
import { IOC_KEY, type Indicator } from './indicator.ts';

/** What one record matched: values by IOC type (as under `streamalert:ioc`), and the indicators. */
export interface IocMatches {
  readonly iocs: Readonly<Record<string, readonly string[]>>;
  readonly indicators: readonly Indicator[];
}

const matched = new WeakMap<object, IocMatches>();

/**
 * StreamAlert's threat detection for one record, before the rules see it (the rules engine calls
 * this before it freezes the record, after its normalization is attached): each value of a
 * normalized type mapped to an IOC type is looked up, and the matches are written under
 * `streamalert:ioc` as `{"ip": ["1.1.1.2"]}`, which the alert carries as StreamAlert's does. The
 * key is StreamAlert's: a record arriving with one of its own has it removed when nothing
 * matched, so input cannot pose as a match. In `rules test` the event's test_fixtures answer.
 * Does nothing when threat intel is off and no fixtures are active.
 *
 * @example
 *   annotateThreatIntel(record);
 *   record['streamalert:ioc']  // { ip: ['1.1.1.2'] }
 */
export function annotateThreatIntel(record: Record<string, unknown>): void {
  const fixtures = activeTestFixtures();
  const intel = activeRuleData()?.threatIntel;
  if ((fixtures === undefined && intel === undefined) || Object.isFrozen(record)) return;
  const candidates = candidatesOf((type) => fetchValuesByDatatype(record, type), intel?.mapping, intel?.exclusions);
  let source: IndicatorSource | undefined = intel;
  if (fixtures !== undefined) {
    const found = new Map(fixtures.threatIntelMatches(candidates.map((candidate) => candidate.value)).map((indicator) => [indicator.ioc_value, indicator]));
    source = { lookup: (value) => found.get(value) };
  }
  const iocs: Record<string, string[]> = {};
  const indicators: Indicator[] = [];
  for (const { iocType, value } of candidates) {
    const indicator = source!.lookup(value);
    if (indicator === undefined) continue;
    const values = (iocs[iocType] ??= []);
    if (values.includes(value)) continue;
    values.push(value);
    if (!indicators.includes(indicator)) indicators.push(indicator);
  }
  if (indicators.length === 0) {
    if (Object.hasOwn(record, IOC_KEY)) delete record[IOC_KEY];
    return;
  }
  record[IOC_KEY] = iocs;
  matched.set(record, { iocs, indicators });
}

/** The matches annotateThreatIntel found on a record; undefined when none. */
export function iocMatchesOf(record: object): IocMatches | undefined {
  return matched.get(record);
}
