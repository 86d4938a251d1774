import type { LoadProblem } from '../config/load-problem.ts';
import { configProblems } from '../config/validate.ts';
import { z } from '../config/zod.ts';

export const THREAT_INTEL_FILE = 'conf/threat_intel.json';

/** StreamAlert's default mapping: IOC type -> the normalized types whose values are checked as that type. */
export const DEFAULT_IOC_TYPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  domain: ['destinationDomain'],
  ip: ['sourceAddress', 'destinationAddress', 'deviceAddress'],
  md5: ['fileHash'],
});

/**
 * conf/threat_intel.json in StreamAlert's format, plus three keys of ours: `file` (a local IOC
 * table in the project, JSON or CSV), `cache_refresh_minutes` (how long DynamoDB answers and
 * the file are kept) and `cache_maximum_key_count` (how many DynamoDB answers are kept).
 */
const ThreatIntelConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  dynamodb_table_name: z.string().min(1).optional(),
  /** Ours: relative to the project folder, inside it; `.csv` is read as CSV with a header row, anything else as JSON. */
  file: z.string().min(1).optional(),
  /** `{"ip": {"10.0.0.0/8": {"comment": "RFC1918"}}}`: values (networks for ip) never looked up. A list of values is read too. */
  excluded_iocs: z.record(z.string(), z.union([z.record(z.string(), z.unknown()), z.array(z.string())])).default({}),
  normalized_ioc_types: z.record(z.string(), z.array(z.string())).default(() => Object.fromEntries(Object.entries(DEFAULT_IOC_TYPES).map(([type, names]) => [type, [...names]]))),
  cache_refresh_minutes: z.number().min(0).max(7 * 24 * 60).default(5),
  cache_maximum_key_count: z.number().int().min(1).max(10_000_000).default(100_000),
  max_size_mb: z.number().int().min(1).max(1024).default(64),
});
export type ThreatIntelConfig = z.output<typeof ThreatIntelConfigSchema>;

/**
 * Checks conf/threat_intel.json as parsed JSON: the config, or the problem that disables threat
 * intel. Enabled with neither a file nor a DynamoDB table is a problem: it would match nothing.
 *
 * @example
 *   parseThreatIntelConfig({ enabled: true, file: 'threat_intel/iocs.csv' }).config?.normalized_ioc_types.ip
 *   // ['sourceAddress', 'destinationAddress', 'deviceAddress']
 */
export function parseThreatIntelConfig(raw: unknown): { config?: ThreatIntelConfig; problems: LoadProblem[] } {
  const problem = (message: string): LoadProblem => ({ kind: 'threat-intel', file: THREAT_INTEL_FILE, message, disables: 'threat intel (no record is matched against indicators)' });
  const parsed = z.safeParse(ThreatIntelConfigSchema, raw, { reportInput: true });
  if (!parsed.success) return { problems: [problem(configProblems(ThreatIntelConfigSchema, parsed.error.issues, { file: THREAT_INTEL_FILE }).join('; '))] };
  const config = parsed.data;
  if (config.enabled && config.file === undefined && config.dynamodb_table_name === undefined) {
    return { problems: [problem(`${THREAT_INTEL_FILE}: enabled, but with neither "file" (indicators in the project) nor "dynamodb_table_name"; add one`)] };
  }
  return { config, problems: [] };
}
