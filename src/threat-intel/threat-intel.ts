import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../lookup-tables/table.ts';
import { DEFAULT_IOC_TYPES, type ThreatIntelConfig } from './config.ts';
import { DynamoDbIndicators } from './dynamodb.ts';
import { Exclusions } from './exclusions.ts';
import { IndicatorFile } from './indicator-file.ts';
import type { Indicator } from './indicator.ts';

/** A value of a record to check, and the IOC type its normalized type maps to. */
export interface Candidate {
  readonly iocType: string;
  readonly value: string;
}

/** Where indicators come from: answers synchronously while rules run. */
export interface IndicatorSource {
  lookup(value: string): Indicator | undefined;
}

/**
 * Normalized type -> IOC type, from StreamAlert's `normalized_ioc_types` (IOC type -> normalized
 * types), as StreamAlert inverts it.
 */
export function iocTypesByNormalizedType(normalizedIocTypes: Readonly<Record<string, readonly string[]>>): ReadonlyMap<string, string> {
  return new Map(Object.entries(normalizedIocTypes).flatMap(([iocType, types]) => types.map((type) => [type, iocType] as const)));
}

const DEFAULT_MAPPING = iocTypesByNormalizedType(DEFAULT_IOC_TYPES);

/**
 * The values of a record worth checking (StreamAlert's `_extract_ioc_values`): each value of a
 * normalized type that maps to an IOC type, as text, less the excluded ones.
 *
 * @example
 *   candidatesOf((type) => (type === 'sourceAddress' ? ['1.1.1.2'] : []), mapping, exclusions)  // [{ iocType: 'ip', value: '1.1.1.2' }]
 */
export function candidatesOf(valuesOf: (normalizedType: string) => readonly unknown[], mapping: ReadonlyMap<string, string> = DEFAULT_MAPPING, exclusions?: Exclusions): Candidate[] {
  const candidates: Candidate[] = [];
  for (const [normalizedType, iocType] of mapping) {
    for (const value of valuesOf(normalizedType)) {
      if ((typeof value !== 'string' && typeof value !== 'number') || value === '') continue;
      const text = String(value);
      if (exclusions?.has(iocType, text)) continue;
      candidates.push({ iocType, value: text });
    }
  }
  return candidates;
}

export interface ThreatIntelOptions {
  readonly projectDir: string;
  readonly client: () => Promise<DynamoDBDocumentClient>;
  readonly now?: Clock;
}

/**
 * A project's threat intel (StreamAlert's ThreatIntel): the indicators of a local file and/or a
 * DynamoDB table, the IOC type mapping and the exclusions of conf/threat_intel.json. The file is
 * read when the project loads and re-read when its cache time has passed and it changed; the
 * DynamoDB table is asked, per batch of records, about the values the batch holds.
 *
 * @example
 *   const intel = new ThreatIntel(config, { projectDir, client: lazyDocumentClient('us-east-1') });
 *   intel.loadLocal();
 *   intel.lookup('1.1.1.2')  // { ioc_value: '1.1.1.2', ioc_type: 'ip', sub_type: 'mal_ip' }
 */
export class ThreatIntel implements IndicatorSource {
  readonly config: ThreatIntelConfig;
  readonly mapping: ReadonlyMap<string, string>;
  readonly exclusions: Exclusions;
  readonly #file: IndicatorFile | undefined;
  readonly #dynamodb: DynamoDbIndicators | undefined;
  readonly #now: Clock;
  readonly #refreshMs: number;
  #local: ReadonlyMap<string, Indicator> | undefined;
  #fileDueAt = 0;

  constructor(config: ThreatIntelConfig, options: ThreatIntelOptions) {
    this.config = config;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = config.cache_refresh_minutes * 60_000;
    this.mapping = iocTypesByNormalizedType(config.normalized_ioc_types);
    this.exclusions = new Exclusions(config.excluded_iocs);
    this.#file = config.file === undefined ? undefined : new IndicatorFile(options.projectDir, config.file, config.max_size_mb);
    this.#dynamodb =
      config.dynamodb_table_name === undefined ? undefined : new DynamoDbIndicators(config.dynamodb_table_name, options.client, this.#refreshMs, config.cache_maximum_key_count, this.#now);
  }

  /** True when each batch's values are looked up in DynamoDB before its rules run. */
  get fetchesPerBatch(): boolean {
    return this.#dynamodb !== undefined;
  }

  /** Reads the local file if due; the failure, if any (the indicators already held are kept). */
  loadLocal(): string | undefined {
    if (this.#file === undefined || this.#now() < this.#fileDueAt) return undefined;
    try {
      this.#local = this.#file.read() ?? this.#local;
      this.#fileDueAt = this.#now() + this.#refreshMs;
      return undefined;
    } catch (error) {
      this.#fileDueAt = this.#now() + Math.max(Math.min(60_000, this.#refreshMs), 1);
      return (error as Error).message;
    }
  }

  /** Looks up in DynamoDB the candidate values it has no fresh answer for; returns what went wrong. */
  fetch(candidates: Iterable<Candidate>): Promise<string[]> {
    if (this.#dynamodb === undefined) return Promise.resolve([]);
    return this.#dynamodb.fetch([...candidates].map((candidate) => candidate.value));
  }

  lookup(value: string): Indicator | undefined {
    return this.#local?.get(value) ?? this.#dynamodb?.get(value);
  }
}
