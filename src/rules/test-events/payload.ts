import { gunzipSync, gzipSync } from 'node:zlib';
import { embedRecord } from '../../classifier/json-path.ts';
import { isPlainObject } from '../../classifier/record.ts';
import type { LogSchema, SchemaDefinition } from '../../classifier/schema.ts';

/** A test event's data inflates to at most this (a compressed event is a test file's own data, so this only guards a mistake). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * StreamAlert's `override_record`: a default value for each top-level key of the log's envelope
 * (`envelope_keys`) if it has one, else of its schema, then the given keys over them, one level
 * deep. Defaults are StreamAlert's: `""`, `0`, `false`, `{}` for any object (a nested schema
 * included), `[]`. With an envelope, the override supplies the records themselves (e.g. under
 * `logEvents`), as in StreamAlert.
 *
 * One addition: for a log type with `json_path` (or `json_regex_key`) and no envelope, an
 * override that does not give the path's first key is one record, placed where the path finds
 * it (as JSON text for `embedded_json`). StreamAlert builds a payload there in which the path
 * finds nothing, so an event it would fail classifies here; every event it passes, passes here.
 *
 * @example
 *   recordFromOverride(cloudwatchControlMessage, { messageType: 'CONTROL_MESSAGE', logEvents: [...] })
 *   // { logGroup: '', logStream: '', messageType: 'CONTROL_MESSAGE', owner: '', subscriptionFilters: [], logEvents: [...] }
 */
export function recordFromOverride(schema: LogSchema, override: Record<string, unknown>): Record<string, unknown> | unknown[] | string {
  if (schema.envelopeDefinition) return { ...defaults(schema.envelopeDefinition), ...override };
  const record = { ...defaults(schema.definition), ...override };
  if (schema.jsonPath) {
    let placed: unknown;
    try {
      placed = embedRecord(schema.jsonPath.expression, schema.embeddedJson ? JSON.stringify(record) : record);
    } catch (error) {
      return (error as Error).message;
    }
    const firstKey = isPlainObject(placed) ? Object.keys(placed)[0]! : undefined;
    if (firstKey !== undefined && Object.hasOwn(override, firstKey)) return record;
    return placed as Record<string, unknown> | unknown[];
  }
  if (schema.jsonRegexKey !== undefined && !Object.hasOwn(override, schema.jsonRegexKey)) return { [schema.jsonRegexKey]: JSON.stringify(record) };
  return record;
}

/** StreamAlert's default per declared type (`ParserBase.default_optional_values`). */
function defaults(definition: SchemaDefinition): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(definition)) {
    result[key] = Array.isArray(type) ? [] : isPlainObject(type) ? {} : type === 'integer' || type === 'float' ? 0 : type === 'boolean' ? false : '';
  }
  return result;
}

/**
 * What the classifier gets for a test event's `data`: an object (or list) as it is; text that is a JSON
 * object or list, parsed (as StreamAlert's json parser loads text); any other text as it is, a raw
 * log line for a csv, kv or syslog log type. With `compress`, the data goes through gzip and back
 * first, as StreamAlert compresses a Kinesis test record and its classifier inflates it.
 *
 * @example
 *   payloadOf('{"result": "FRAUD"}', false)  // { result: 'FRAUD' }
 *   payloadOf('host=a user=b', false)         // 'host=a user=b'
 */
export function payloadOf(data: string | object, compress: boolean): unknown {
  let text: string | undefined = typeof data === 'string' ? data : undefined;
  if (compress) {
    const packed = gzipSync(Buffer.from(text ?? JSON.stringify(data), 'utf8'));
    text = gunzipSync(packed, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  }
  if (text === undefined) return data;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // Not JSON: a raw line for the text parsers.
  }
  return text;
}
