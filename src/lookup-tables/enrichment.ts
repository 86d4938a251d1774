import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Classifier } from '../classifier/classifier.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import type { InputRecord } from '../input/splitters.ts';
import { batchCandidates } from '../threat-intel/batch.ts';
import { parseThreatIntelConfig, THREAT_INTEL_FILE } from '../threat-intel/config.ts';
import { ThreatIntel } from '../threat-intel/threat-intel.ts';
import { installRuleData, type RuleData } from './active.ts';
import { lazyDocumentClient } from './aws.ts';
import { LOOKUP_TABLES_FILE, parseLookupTablesConfig } from './config.ts';
import { LookupTables } from './tables.ts';
import type { Clock } from './table.ts';

/** The same warning (a table that keeps failing) is said again only after this long. */
const REPEAT_WARNING_MS = 10 * 60_000;
const MAX_REMEMBERED_WARNINGS = 1_000;

export interface EnrichmentOptions {
  readonly now?: Clock;
  /** Told about refreshes and lookups that failed (the data already held is kept); default: a line on stderr. */
  readonly onWarning?: (message: string) => void;
}

/** The part of a project enrichment reads: its folder and region. */
export interface EnrichmentProject {
  readonly dir: string;
  readonly global: { readonly account: { readonly region: string } };
}

/**
 * What rules read besides their record, made ready around each batch: lookup tables
 * (conf/lookup_tables.json) and threat intel (conf/threat_intel.json). Local files are read when
 * the project loads; tables from AWS before the first batch; each again once its cache time has
 * passed, always between batches, never while a rule runs (rules are synchronous).
 *
 * @example
 *   const enrichment = loadEnrichment(project);     // problems: files missing, configs wrong
 *   await enrichment.prepare(batch, classifier);    // before the rules run on the batch
 */
export class Enrichment implements RuleData {
  readonly tables: LookupTables;
  readonly threatIntel: ThreatIntel | undefined;
  /** What could not be used, each disabling only what it names. */
  readonly problems: readonly LoadProblem[];
  readonly #now: Clock;
  readonly #onWarning: (message: string) => void;
  readonly #warned = new Map<string, number>();

  constructor(project: EnrichmentProject, options: EnrichmentOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#onWarning = options.onWarning ?? ((message) => console.error(`warning: ${message}`));
    const problems: LoadProblem[] = [];
    const region = project.global.account.region;

    const tablesRead = readJson(project.dir, LOOKUP_TABLES_FILE, 'lookup-table', problems);
    const { config: tablesConfig, problems: tableProblems } = parseLookupTablesConfig(tablesRead);
    problems.push(...tableProblems);
    this.tables = new LookupTables(tablesConfig, { projectDir: project.dir, region, now: this.#now });
    problems.push(...this.tables.loadLocal());

    const intelRead = readJson(project.dir, THREAT_INTEL_FILE, 'threat-intel', problems);
    const { config: intelConfig, problems: intelProblems } = parseThreatIntelConfig(intelRead);
    problems.push(...intelProblems);
    if (intelConfig?.enabled) {
      const problem = (message: string) => problems.push({ kind: 'threat-intel', file: THREAT_INTEL_FILE, message: `${THREAT_INTEL_FILE}: ${message}`, disables: 'threat intel (no record is matched against indicators)' });
      try {
        this.threatIntel = new ThreatIntel(intelConfig, { projectDir: project.dir, client: lazyDocumentClient(region), now: this.#now });
        const failure = this.threatIntel.loadLocal();
        if (failure !== undefined) problem(failure);
      } catch (error) {
        problem((error as Error).message);
      }
    }
    this.problems = problems;
  }

  /**
   * Before the rules run on `items`: re-reads the lookup tables and the indicator file whose cache
   * time has passed and, with a DynamoDB IOC table, asks it about the batch's values. Failures are
   * warned about (rate-limited) and never thrown: what was held stays in use.
   */
  async prepare(items: readonly InputRecord[], classifier: Classifier): Promise<void> {
    installRuleData(this);
    const warnings = await this.tables.refreshDue();
    const intel = this.threatIntel;
    if (intel !== undefined) {
      const failure = intel.loadLocal();
      if (failure !== undefined) warnings.push(`threat intel: ${failure}`);
      if (intel.fetchesPerBatch && items.length > 0) warnings.push(...(await intel.fetch(batchCandidates(items, classifier, intel))));
    }
    for (const warning of warnings) this.#warn(warning);
  }

  #warn(message: string): void {
    const now = this.#now();
    const last = this.#warned.get(message);
    if (last !== undefined && now - last < REPEAT_WARNING_MS) return;
    if (this.#warned.size >= MAX_REMEMBERED_WARNINGS) this.#warned.clear();
    this.#warned.set(message, now);
    this.#onWarning(message);
  }
}

/**
 * Reads a project's lookup tables and threat intel (see Enrichment) and installs them for rules
 * (`lookupTable()`, threat-intel matching). loadDetection calls it.
 *
 * @example
 *   const { problems } = loadEnrichment(loadProject(dir));
 */
export function loadEnrichment(project: EnrichmentProject, options: EnrichmentOptions = {}): Enrichment {
  const enrichment = new Enrichment(project, options);
  installRuleData(enrichment);
  return enrichment;
}

/** A conf file's JSON; absent is `{}` (the feature off); unreadable is a problem, and `{}`. */
function readJson(dir: string, file: string, kind: 'lookup-table' | 'threat-intel', problems: LoadProblem[]): unknown {
  const path = join(dir, file);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push({ kind, file, message: `${file} is not valid JSON (${(error as Error).message}); fix the file`, disables: kind === 'lookup-table' ? 'every lookup table' : 'threat intel' });
    return {};
  }
}
