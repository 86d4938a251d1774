import { ConfigError } from '../config/errors.ts';
import { addDefaults, applyWrites, describe, fitObject, type Mismatch, type Writes } from './coerce.ts';
import { extract } from './extract.ts';
import { logPatternMismatch } from './log-patterns.ts';
import { cloneJson, ENVELOPE_KEY, isPlainObject } from './record.ts';
import type { LogSchema } from './schema.ts';

export type JsonObject = Record<string, unknown>;

/** A record that fits a log schema, converted to the schema's types. */
export interface ClassifiedRecord {
  readonly schema: LogSchema;
  readonly record: JsonObject;
  /** Position among the records json_path extracted from one payload (0 when there is one). */
  readonly index: number;
}

/** A record (or a whole payload) that fits no schema, and why. */
export interface UnclassifiedRecord {
  readonly record: unknown;
  readonly reason: string;
  readonly index: number;
}

export interface Classification {
  readonly classified: readonly ClassifiedRecord[];
  readonly unclassified: readonly UnclassifiedRecord[];
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The schemas a log type selects: an exact name (`cloudtrail:events`), or a source prefix
 * (`cloudtrail` selects every `cloudtrail:*`). Undefined selects all. None is a ConfigError.
 *
 * @example
 *   selectSchemas(schemas, 'duo').map((s) => s.name)  // ['duo:administrator', 'duo:authentication']
 */
export function selectSchemas(schemas: readonly LogSchema[], logType?: string): LogSchema[] {
  if (logType === undefined) return [...schemas];
  const selected = schemas.filter((schema) => schema.name === logType || (!logType.includes(':') && schema.source === logType));
  if (selected.length === 0) {
    const known = schemas.map((schema) => schema.name).join(', ') || 'none: add conf/schemas/*.json';
    throw new ConfigError(`log type '${logType}' matches no schema in conf/schemas (known log types: ${known})`);
  }
  return selected;
}

/**
 * Classifies JSON payloads against log schemas, as StreamAlert's classifier: schemas are tried
 * in priority then file order, and the first one that parses at least one record wins.
 * Records that fit no schema come back with the reason (for several candidates, the reason
 * the closest schema gave), never dropped.
 *
 * The records it returns are the payload's own objects, converted in place: pass a copy if the
 * caller still needs the original.
 *
 * @example
 *   const classifier = new Classifier(loadSchemas(dir), 'cloudtrail');
 *   const { classified, unclassified } = classifier.classify(JSON.parse(line));
 */
export class Classifier {
  readonly candidates: readonly LogSchema[];
  readonly #simple: readonly boolean[];
  readonly #writes: Writes = [];

  constructor(schemas: readonly LogSchema[], logType?: string) {
    this.candidates = selectSchemas(schemas, logType);
    if (this.candidates.length === 0) throw new ConfigError('no log schemas in conf/schemas: add one (see docs/schemas.md) so records can be classified');
    this.#simple = this.candidates.map((schema) => schema.parser === 'json' && !schema.jsonPath && !schema.envelope && schema.jsonRegexKey === undefined && !schema.logPatterns);
  }

  /** Whether a candidate reads text (csv, kv, syslog): input lines that are not JSON are then records, not errors. */
  get readsText(): boolean {
    return this.candidates.some((schema) => schema.parser !== 'json');
  }

  classify(payload: unknown): Classification {
    const candidates = this.candidates;
    for (let i = 0; i < candidates.length; i++) {
      const schema = candidates[i]!;
      // The common case, a flat JSON log: one record, no extraction.
      if (this.#simple[i]) {
        if (this.#fit(schema, payload, undefined, false) === undefined) return { classified: [{ schema, record: payload as JsonObject, index: 0 }], unclassified: NONE };
        continue;
      }
      const parsed = this.#parse(schema, payload);
      if (parsed && parsed.valid.length > 0) return { classified: parsed.valid, unclassified: parsed.invalid };
    }
    return { classified: NONE, unclassified: [{ record: payload, index: 0, reason: this.#explain(payload) }] };
  }

  /**
   * Fits one record; on success applies the conversions, then the envelope and the defaults of
   * absent optional keys. In StreamAlert's order: log_patterns see the converted record before
   * any default is added. A record that fails them is put back as it was, for the next schema.
   */
  #fit(schema: LogSchema, record: unknown, envelope: JsonObject | undefined, explain: boolean): Mismatch | undefined {
    const writes = this.#writes;
    writes.length = 0;
    const mismatch = fitObject(record, schema.fields, writes, '', explain);
    if (mismatch !== undefined) return mismatch;
    const undo = schema.logPatterns ? previousValues(writes) : undefined;
    applyWrites(writes);
    writes.length = 0;
    if (undo) {
      const reason = logPatternMismatch(schema.logPatterns!, record, envelope);
      if (reason !== undefined) {
        applyWrites(undo);
        return { reason, problems: 1 };
      }
    }
    const target = record as JsonObject;
    if (envelope && Object.keys(envelope).length > 0) target[ENVELOPE_KEY] = { ...envelope };
    if (schema.fields.optional.length > 0) addDefaults(target, schema.fields);
    return undefined;
  }

  /** Extracts and fits the records of a schema with another parser, json_path, json_regex_key, envelope_keys or log_patterns. */
  #parse(schema: LogSchema, payload: unknown): { valid: ClassifiedRecord[]; invalid: UnclassifiedRecord[] } | undefined {
    const extracted = extract(schema, payload, false);
    if (typeof extracted === 'string') return undefined;
    const valid: ClassifiedRecord[] = [];
    const failed: number[] = [];
    extracted.records.forEach((record, index) => {
      if (record !== undefined && this.#fit(schema, record, extracted.envelope, false) === undefined) valid.push({ schema, record: record as JsonObject, index });
      else failed.push(index);
    });
    // Reasons are worked out only for the schema that won, and only for its records that did not fit.
    const invalid = failed.map((index) => {
      const record = extracted.records[index];
      const why = extracted.reasons[index] ?? this.#fit(schema, record, extracted.envelope, true)?.reason ?? 'does not fit';
      return { record: extracted.raw[index], index, reason: `${schema.name}: ${why}` };
    });
    return { valid, invalid };
  }

  /** Why a payload fits none of the candidates: the reason of the closest one. */
  #explain(payload: unknown): string {
    if (!isPlainObject(payload) && this.candidates.every((schema) => schema.parser === 'json' && !schema.jsonPath)) return `expected a JSON object, got ${describe(payload)}`;
    let best: { schema: LogSchema; mismatch: Mismatch } | undefined;
    for (const schema of this.candidates) {
      const mismatch = this.#explainOne(schema, payload);
      if (!best || mismatch.problems < best.mismatch.problems) best = { schema, mismatch };
    }
    const { schema, mismatch } = best!;
    return this.candidates.length === 1 ? `${schema.name}: ${mismatch.reason}` : `no schema fits; closest is ${schema.name}: ${mismatch.reason}`;
  }

  #explainOne(schema: LogSchema, payload: unknown): Mismatch {
    const extracted = extract(schema, payload, true);
    // A parser that reads this kind of payload (text, or JSON) but found no record is closer than one that reads the other kind.
    const readsText = schema.parser === 'kv' || schema.parser === 'syslog' || (schema.parser === 'csv' && !schema.jsonPath);
    const unparsed = readsText === (typeof payload === 'string') ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
    if (typeof extracted === 'string') return { reason: extracted, problems: unparsed };
    const first = extracted.records[0];
    if (first === undefined) return { reason: extracted.reasons[0] ?? 'no record found', problems: unparsed };
    // Explaining must not convert anything: work on a copy.
    const copy = cloneJson(first);
    return this.#fit(schema, copy, extracted.envelope, true) ?? { reason: 'does not fit', problems: 1 };
  }
}


/** Writes that put back what `writes` will overwrite, last first (a key written twice gets its first value back). */
function previousValues(writes: Writes): Writes {
  const undo: Writes = [];
  for (let i = writes.length - 3; i >= 0; i -= 3) {
    const target = writes[i] as JsonObject;
    const key = writes[i + 1] as string;
    undo.push(target, key, target[key]);
  }
  return undo;
}
