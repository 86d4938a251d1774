import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { LOOKUP_TABLES_FILE, parseLookupTablesConfig, type LookupTablesConfig } from '../lookup-tables/config.ts';
import { parseThreatIntelConfig, THREAT_INTEL_FILE, type ThreatIntelConfig } from '../threat-intel/config.ts';

/** What the rules read besides records, as the deployed functions will load it: only what is enabled and valid. */
export interface EnrichmentConfig {
  /** Usable lookup tables; none when lookup tables are disabled. */
  readonly tables: LookupTablesConfig['tables'];
  /** Threat intel, when enabled. */
  readonly intel: ThreatIntelConfig | undefined;
}

/**
 * conf/lookup_tables.json and conf/threat_intel.json of a project, read as the rules engine
 * reads them: a missing or broken file, or a broken table, is what the project would disable
 * when it loads (with a warning), so the stack leaves it out too.
 */
export function readEnrichmentConfig(projectDir: string): EnrichmentConfig {
  const tables = parseLookupTablesConfig(readJson(projectDir, LOOKUP_TABLES_FILE) ?? {}).config;
  const intel = parseThreatIntelConfig(readJson(projectDir, THREAT_INTEL_FILE) ?? {}).config;
  return { tables: tables.enabled ? tables.tables : new Map(), intel: intel?.enabled ? intel : undefined };
}

/**
 * The project files the rules read at run time (lookup tables of the `file` driver, threat
 * intel's `file`), relative to the project and inside it, so the functions' package carries them
 * wherever in the project they are.
 *
 * @example
 *   localEnrichmentFiles('/srv/secops') // ['lookup_tables/browsers.json', 'intel/iocs.csv']
 */
export function localEnrichmentFiles(projectDir: string): string[] {
  const { tables, intel } = readEnrichmentConfig(projectDir);
  const paths = [...tables.values()].flatMap((table) => (table.driver === 'file' ? [table.path] : []));
  if (intel?.file !== undefined) paths.push(intel.file);
  // The loaders refuse a path outside the project; so does the package.
  return [...new Set(paths.map((path) => normalize(path)))].filter((path) => !isAbsolute(path) && !path.startsWith('..'));
}

/** The file's JSON, or undefined when it is missing or not JSON. */
function readJson(projectDir: string, file: string): unknown {
  const path = join(projectDir, file);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
