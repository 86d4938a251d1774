import { isDeeperThan, MAX_RECORD_DEPTH } from '../input/depth.ts';
import { describe, fitEnvelope, isPythonFalsy } from './coerce.ts';
import { readCsv, rowToRecord } from './parsers/csv.ts';
import { readKv } from './parsers/kv.ts';
import { readSyslog } from './parsers/syslog.ts';
import { pythonStr } from '../python/str.ts';
import { isPlainObject } from './record.ts';
import type { LogSchema } from './schema.ts';

type JsonObject = Record<string, unknown>;

/** What one schema's parser takes out of a payload, before the records are fitted to the schema. */
export interface Extracted {
  /** The records to fit; undefined where the parser could not make one (see reasons). */
  readonly records: unknown[];
  /** Each record as found in the payload (the JSON value, the csv text), for reporting. */
  readonly raw: unknown[];
  /** Why a record could not be made, by index: text that does not parse, a row of the wrong length. */
  readonly reasons: (string | undefined)[];
  readonly envelope?: JsonObject;
}

/**
 * The envelope and the records of a payload for one schema, or why there are none, as
 * StreamAlert's parsers take them apart (parsers.py `parse` and each parser's `_parse`):
 * the envelope first (the payload must be an object holding its keys), then the records by
 * parser. The reasons name the parser and what it expected.
 *
 * @example
 *   extract(csvSchema, '1526951139,host,CONNECT')  // { records: [{ time: '1526951139', ... }], raw: [...], reasons: [] }
 */
export function extract(schema: LogSchema, payload: unknown, explain: boolean): Extracted | string {
  let envelope: JsonObject | undefined;
  if (schema.envelope) {
    const result = fitEnvelope(payload, schema.envelope, explain);
    if ('reason' in result) return `envelope: ${result.reason}`;
    envelope = result.envelope;
  }
  const extracted = extractRecords(schema, payload);
  if (typeof extracted === 'string' || !envelope) return extracted;
  return { ...extracted, envelope };
}

function extractRecords(schema: LogSchema, payload: unknown): Omit<Extracted, 'envelope'> | string {
  switch (schema.parser) {
    case 'json':
      return extractJson(schema, payload);
    case 'csv':
      return extractCsv(schema, payload);
    case 'kv': {
      if (typeof payload !== 'string') return `kv parser: expected a line of text, got ${describe(payload)}`;
      const record = readKv(payload, schema.kv!, schema.fields);
      return typeof record === 'string' ? `kv parser: ${record}` : { records: [record], raw: [payload], reasons: [] };
    }
    case 'syslog': {
      if (typeof payload !== 'string') return `syslog parser: expected a line of text, got ${describe(payload)}`;
      const record = readSyslog(payload);
      if (record === undefined) return `syslog parser: not a syslog line ('Mon DD HH:MM:SS host application[pid]: message'): ${describe(payload)}`;
      return { records: [record], raw: [payload], reasons: [] };
    }
  }
}

function extractJson(schema: LogSchema, payload: unknown): Omit<Extracted, 'envelope'> | string {
  if (schema.jsonPath) {
    const found = schema.jsonPath.extract(payload);
    if (found.length === 0) return `json_path '${schema.jsonPath.expression}' found no records`;
    if (!schema.embeddedJson) return { records: found, raw: found, reasons: [] };
    const reasons: (string | undefined)[] = [];
    const records = found.map((text, index) => {
      const parsed = parseEmbedded(text);
      if (typeof parsed !== 'string') return parsed;
      reasons[index] = parsed;
      return undefined;
    });
    return { records, raw: found, reasons };
  }
  if (schema.jsonRegexKey !== undefined) {
    const key = schema.jsonRegexKey;
    const value = isPlainObject(payload) ? payload[key] : undefined;
    if (isPythonFalsy(value)) return `json_regex_key '${key}' is missing or empty`;
    // As StreamAlert's str(): a non-text value is searched as Python writes it (whose quotes JSON refuses).
    const text = pythonStr(value);
    // StreamAlert's pattern: the first {...} or [...] blob on a line (Python's `.` stops at a newline).
    const blob = /(\{[^\n]+[:,][^\n]+\}|\[[^\n]+[,:][^\n]+\])/.exec(text)?.[1];
    const parsed = blob === undefined ? `json_regex_key '${key}' holds no JSON` : parseEmbedded(blob);
    if (typeof parsed === 'string') return parsed;
    return { records: [parsed], raw: [payload], reasons: [] };
  }
  return { records: [payload], raw: [payload], reasons: [] };
}

/** csv text, or csv text at json_path in a JSON payload (CloudWatch Logs messages): a record per row. */
function extractCsv(schema: LogSchema, payload: unknown): Omit<Extracted, 'envelope'> | string {
  let texts: unknown[] = [payload];
  if (schema.jsonPath) {
    texts = schema.jsonPath.extract(payload);
    if (texts.length === 0) return `csv parser: json_path '${schema.jsonPath.expression}' found no records`;
  }
  const records: unknown[] = [];
  const raw: unknown[] = [];
  const reasons: (string | undefined)[] = [];
  const fail = (item: unknown, reason: string) => {
    reasons[records.length] = `csv parser: ${reason}`;
    records.push(undefined);
    raw.push(item);
  };
  for (const text of texts) {
    if (typeof text !== 'string') {
      fail(text, `expected csv text, got ${describe(text)}`);
      continue;
    }
    const { rows, problem } = readCsv(text, schema.csv!);
    for (const row of rows) {
      const record = rowToRecord(row, schema.fields, schema.csv!);
      if (typeof record === 'string') fail(text, record);
      else {
        records.push(record);
        raw.push(text);
      }
    }
    if (problem !== undefined) fail(text, problem);
  }
  if (records.length === 0) return 'csv parser: no rows';
  return { records, raw, reasons };
}

/** The record in a JSON string found in the payload, or why there is none; held to the reader's depth bound, as any record. */
function parseEmbedded(text: unknown): JsonObject | string {
  if (typeof text !== 'string') return `embedded JSON: expected text, got ${describe(text)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `embedded JSON is not valid (${(error as Error).message})`;
  }
  if (!isPlainObject(parsed)) return `embedded JSON is not an object (${describe(parsed)})`;
  return isDeeperThan(parsed, MAX_RECORD_DEPTH) ? `embedded JSON nests objects or lists deeper than ${MAX_RECORD_DEPTH} levels` : parsed;
}
