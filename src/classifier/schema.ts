import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadProblem } from '../config/load-problem.ts';
import { SchemaError } from './errors.ts';
import { compileJsonPath, type JsonPath } from './json-path.ts';
import { compileLogPatterns, type LogPatterns } from './log-patterns.ts';
import { isPlainObject } from './record.ts';

/** A field's declared type: StreamAlert's `"string"`, `"integer"`, `"float"`, `"boolean"`, `{}`, `[]` or a nested schema. */
export type FieldType =
  | { readonly kind: 'string' | 'integer' | 'float' | 'boolean' | 'object' | 'list' }
  | { readonly kind: 'nested'; readonly fields: Fields };

export interface Field {
  readonly type: FieldType;
  /** Listed in optional_top_level_keys (or optional_envelope_keys): may be absent, gets a default. */
  readonly optional: boolean;
}

/** The keys of one object level: a record fits when its keys are exactly these (optional ones may be absent). */
export interface Fields {
  readonly byName: ReadonlyMap<string, Field>;
  readonly requiredCount: number;
  /** The optional keys and their types, to fill in the absent ones without walking every field. */
  readonly optional: ReadonlyArray<readonly [string, FieldType]>;
}

/** The raw `schema` (or `envelope_keys`) object of a schema file. */
export type SchemaDefinition = { readonly [key: string]: unknown };

/** One log type, compiled from its entry in conf/schemas/*.json. */
export interface LogSchema {
  /** The log type, e.g. `cloudtrail:events`. */
  readonly name: string;
  /** The part before the first colon, e.g. `cloudtrail`: what `--log-type cloudtrail` selects. */
  readonly source: string;
  /** Where it was declared, relative to the project, for messages. */
  readonly file: string;
  readonly parser: ParserName;
  readonly fields: Fields;
  /** The csv parser's dialect (parser "csv"). */
  readonly csv?: CsvDialect;
  /** The kv parser's delimiter and separator (parser "kv"). */
  readonly kv?: KvOptions;
  readonly definition: SchemaDefinition;
  readonly envelope?: Fields;
  readonly envelopeDefinition?: SchemaDefinition;
  readonly jsonPath?: { readonly expression: string; readonly extract: JsonPath };
  /** json_path yields JSON strings to parse (CloudWatch Logs messages). */
  readonly embeddedJson: boolean;
  /** The record is a JSON blob inside this key's string value. */
  readonly jsonRegexKey?: string;
  readonly logPatterns?: LogPatterns;
  /** configuration.priority as StreamAlert reads it (int()), or undefined: see sortByPriority. */
  readonly priority: number | undefined;
}

/** StreamAlert's four parsers (its parsers.py registers json, csv, kv and syslog). */
export const PARSERS = ['json', 'csv', 'kv', 'syslog'] as const;
export type ParserName = (typeof PARSERS)[number];

/** Python csv.reader's delimiter, quotechar and escapechar, as StreamAlert passes them. */
export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string | undefined;
}

/** The kv parser: fields split on `delimiter`, each field's key and value on the first `separator`. */
export interface KvOptions {
  readonly delimiter: string;
  readonly separator: string;
}

const SCALARS = {
  string: { kind: 'string' },
  integer: { kind: 'integer' },
  float: { kind: 'float' },
  boolean: { kind: 'boolean' },
} as const satisfies Record<string, FieldType>;
const ANY_OBJECT: FieldType = { kind: 'object' };
const ANY_LIST: FieldType = { kind: 'list' };

// Every setting StreamAlert's classifier reads (parsers.py, shared/config.py). As in StreamAlert, a
// setting of another parser is accepted and has no effect (delimiter on a json log type).
const CONFIGURATION_KEYS = new Set([
  'delimiter',
  'separator',
  'quotechar',
  'escapechar',
  'json_path',
  'json_regex_key',
  'embedded_json',
  'envelope_keys',
  'optional_top_level_keys',
  'optional_envelope_keys',
  'log_patterns',
  'priority',
  // Read by StreamAlert's normalizer, which this port does not have: accepted so schema files load unchanged.
  'normalization',
]);
const ENTRY_KEYS = new Set(['schema', 'parser', 'configuration']);

/** The log types of a project that can be used, and a problem for each one that cannot. */
export interface SchemaLoad {
  readonly schemas: LogSchema[];
  readonly problems: LoadProblem[];
}

/**
 * Reads every conf/schemas/*.json of a project, in file-name order. A missing folder means no
 * schemas. A bad log type (or key, or a second declaration of one) is a problem that disables
 * that log type only; a file that is not a JSON object disables every log type in it.
 *
 * @example
 *   const { schemas, problems } = loadSchemas('/srv/secops');  // schemas: [{ name: 'cloudtrail:events', ... }, ...]
 */
export function loadSchemas(projectDir: string): SchemaLoad {
  const folder = join(projectDir, 'conf', 'schemas');
  if (!existsSync(folder)) return { schemas: [], problems: [] };
  const files = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  const schemas: LogSchema[] = [];
  const problems: LoadProblem[] = [];
  const declaredIn = new Map<string, string>();
  for (const name of files) {
    const file = `conf/schemas/${name}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    } catch (error) {
      problems.push({ kind: 'log-type', file, message: `${file} is not valid JSON (${(error as Error).message}); fix the file`, disables: `every log type in ${file}` });
      continue;
    }
    const compiled = compileSchemaFile(raw, file);
    problems.push(...compiled.problems);
    for (const schema of compiled.schemas) {
      const previous = declaredIn.get(schema.name);
      if (previous) {
        const message = `${file}: log type '${schema.name}' is already declared in ${previous}; keep one`;
        problems.push({ kind: 'log-type', file, name: schema.name, message, disables: `the declaration in ${file} (the one in ${previous} is used)` });
        continue;
      }
      declaredIn.set(schema.name, file);
      schemas.push(schema);
    }
  }
  return { schemas: sortByPriority(schemas), problems };
}

/**
 * Compiles the content of one schema file: `{"<log type>": {"schema": {...}, "parser": "json", "configuration": {...}}}`.
 * A problem is a SchemaError naming the file, the log type and the key.
 *
 * @example
 *   parseSchemaFile({ 'duo:administrator': { parser: 'json', schema: { action: 'string' } } }, 'conf/schemas/duo.json')
 */
export function parseSchemaFile(raw: unknown, file: string): LogSchema[] {
  const { schemas, problems } = compileSchemaFile(raw, file);
  if (problems[0]) throw new SchemaError(problems[0].message);
  return schemas;
}

/** Each log type of a schema file compiled on its own, so one bad log type leaves the others usable. */
function compileSchemaFile(raw: unknown, file: string): SchemaLoad {
  if (!isPlainObject(raw)) {
    const message = `${file}: expected an object of log types, e.g. {"duo:authentication": {"parser": "json", "schema": {...}}}`;
    return { schemas: [], problems: [{ kind: 'log-type', file, message, disables: `every log type in ${file}` }] };
  }
  const schemas: LogSchema[] = [];
  const problems: LoadProblem[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    try {
      schemas.push(compileEntry(name, entry, file));
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      problems.push({ kind: 'log-type', file, name, message: error.message, disables: `log type ${name}` });
    }
  }
  return { schemas, problems };
}

/**
 * The order schemas are tried in, as StreamAlert's SchemaSorter gives it: a stable sort on the
 * priority, where a schema without one (or with -1) takes the highest priority declared before
 * it (-1 if none). So an unprioritised schema stays behind the prioritised ones before it, and
 * ahead of any later ones with a higher number: `[a (none), b (0), c (none), d (5)]` -> a, b, c, d.
 *
 * @example
 *   sortByPriority(schemas).map((s) => s.name)
 */
export function sortByPriority(schemas: readonly LogSchema[]): LogSchema[] {
  let highest = -1;
  return schemas
    .map((schema, order) => {
      const declared = schema.priority ?? -1;
      highest = Math.max(highest, declared);
      return { schema, order, key: declared === -1 ? highest : declared };
    })
    .sort((a, b) => a.key - b.key || a.order - b.order)
    .map(({ schema }) => schema);
}

/** configuration.priority read as Python's int() reads it: a number (truncated) or whole-number text. */
function readPriority(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  throw new SchemaError(`${where}: configuration.priority must be a whole number, 0 tried first (got ${JSON.stringify(value)})`);
}

/** One character, as Python's csv module requires of a delimiter, quotechar or escapechar. */
function oneCharacter(configuration: Record<string, unknown>, key: string, fallback: string | undefined, where: string): string | undefined {
  const value = configuration[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || [...value].length !== 1) {
    throw new SchemaError(`${where}: configuration.${key} must be one character, e.g. "${fallback ?? '\\'}" (got ${JSON.stringify(value)})`);
  }
  return value;
}

function csvDialect(configuration: Record<string, unknown>, where: string): CsvDialect {
  const delimiter = oneCharacter(configuration, 'delimiter', ',', where)!;
  const quote = oneCharacter(configuration, 'quotechar', '"', where)!;
  const escape = oneCharacter(configuration, 'escapechar', undefined, where);
  if (quote === delimiter || escape === delimiter || escape === quote) {
    throw new SchemaError(`${where}: configuration.delimiter, quotechar and escapechar must be different characters`);
  }
  if (/[\r\n]/.test(delimiter + quote + (escape ?? ''))) throw new SchemaError(`${where}: a line break cannot be the csv delimiter, quotechar or escapechar`);
  return { delimiter, quote, escape };
}

function kvOptions(configuration: Record<string, unknown>, where: string): KvOptions {
  const text = (key: string, fallback: string): string => {
    const value = configuration[key] ?? fallback;
    if (typeof value !== 'string' || value === '') throw new SchemaError(`${where}: configuration.${key} must be text, e.g. "${fallback}" (got ${JSON.stringify(value)})`);
    return value;
  };
  return { delimiter: text('delimiter', ' '), separator: text('separator', '=') };
}

function compileEntry(name: string, entry: unknown, file: string): LogSchema {
  const where = `${file}: ${name}`;
  if (name.trim() === '') throw new SchemaError(`${file}: a log type name is empty`);
  if (!isPlainObject(entry)) throw new SchemaError(`${where}: expected an object with "parser" and "schema"`);
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.has(key)) throw new SchemaError(`${where}: unknown key '${key}' (expected schema, parser, configuration)`);
  }
  if (entry.parser === undefined) throw new SchemaError(`${where}: missing "parser" (one of ${PARSERS.join(', ')})`);
  const parser = entry.parser as ParserName;
  if (!PARSERS.includes(parser)) throw new SchemaError(`${where}: parser '${String(entry.parser)}' is not one of StreamAlert's parsers (${PARSERS.join(', ')})`);
  if (!isPlainObject(entry.schema)) throw new SchemaError(`${where}: "schema" must be an object of field names to types`);
  const configuration = entry.configuration ?? {};
  if (!isPlainObject(configuration)) throw new SchemaError(`${where}: "configuration" must be an object`);
  for (const key of Object.keys(configuration)) {
    if (!CONFIGURATION_KEYS.has(key)) {
      throw new SchemaError(`${where}: configuration.${key} is not a known setting (known: ${[...CONFIGURATION_KEYS].join(', ')})`);
    }
  }

  const optional = stringList(configuration.optional_top_level_keys, `${where}: configuration.optional_top_level_keys`);
  const fields = compileFields(entry.schema, `${where}: schema`, optional);
  let envelope: Fields | undefined;
  let envelopeDefinition: SchemaDefinition | undefined;
  if (configuration.envelope_keys !== undefined) {
    if (!isPlainObject(configuration.envelope_keys)) throw new SchemaError(`${where}: configuration.envelope_keys must be an object of field names to types`);
    const optionalEnvelope = stringList(configuration.optional_envelope_keys, `${where}: configuration.optional_envelope_keys`);
    envelope = compileFields(configuration.envelope_keys, `${where}: configuration.envelope_keys`, optionalEnvelope);
    envelopeDefinition = configuration.envelope_keys;
  } else if (configuration.optional_envelope_keys !== undefined) {
    throw new SchemaError(`${where}: configuration.optional_envelope_keys needs configuration.envelope_keys`);
  }

  let jsonPath: LogSchema['jsonPath'];
  if (configuration.json_path !== undefined) {
    if (typeof configuration.json_path !== 'string') throw new SchemaError(`${where}: configuration.json_path must be a string such as "Records[*]"`);
    try {
      jsonPath = { expression: configuration.json_path, extract: compileJsonPath(configuration.json_path) };
    } catch (error) {
      throw new SchemaError(`${where}: configuration.${(error as Error).message}`);
    }
  }
  const jsonRegexKey = configuration.json_regex_key;
  if (jsonRegexKey !== undefined && (typeof jsonRegexKey !== 'string' || jsonRegexKey === '')) {
    throw new SchemaError(`${where}: configuration.json_regex_key must be the name of the key holding the JSON text`);
  }
  const embeddedJson = configuration.embedded_json ?? false;
  if (typeof embeddedJson !== 'boolean') throw new SchemaError(`${where}: configuration.embedded_json must be true or false`);
  const priority = readPriority(configuration.priority, where);

  let logPatterns: LogPatterns | undefined;
  if (configuration.log_patterns !== undefined) {
    try {
      logPatterns = compileLogPatterns(configuration.log_patterns);
    } catch (error) {
      throw new SchemaError(`${where}: configuration.log_patterns: ${(error as Error).message}`);
    }
  }

  return {
    name,
    source: name.split(':')[0]!,
    file,
    parser,
    fields,
    ...(parser === 'csv' && { csv: csvDialect(configuration, where) }),
    ...(parser === 'kv' && { kv: kvOptions(configuration, where) }),
    definition: entry.schema,
    ...(envelope && { envelope, envelopeDefinition }),
    // StreamAlert reads json_path for json and csv only, and tries json_path before json_regex_key.
    ...(jsonPath && (parser === 'json' || parser === 'csv') && { jsonPath }),
    embeddedJson: parser === 'json' && embeddedJson && jsonPath !== undefined,
    ...(jsonRegexKey !== undefined && parser === 'json' && !jsonPath && { jsonRegexKey }),
    ...(logPatterns && { logPatterns }),
    priority,
  };
}

function compileFields(definition: SchemaDefinition, where: string, optional: readonly string[] = []): Fields {
  for (const key of optional) {
    if (!(key in definition)) throw new SchemaError(`${where}: optional key '${key}' is not declared in the schema; declare its type there too`);
  }
  const optionalSet = new Set(optional);
  const byName = new Map<string, Field>();
  for (const [key, value] of Object.entries(definition)) {
    byName.set(key, { type: compileType(value, `${where}.${key}`), optional: optionalSet.has(key) });
  }
  const optionalFields = [...byName].filter(([, field]) => field.optional).map(([key, field]) => [key, field.type] as const);
  return { byName, requiredCount: byName.size - optionalSet.size, optional: optionalFields };
}

function compileType(value: unknown, where: string): FieldType {
  if (typeof value === 'string') {
    if (Object.hasOwn(SCALARS, value)) return SCALARS[value as keyof typeof SCALARS];
    throw new SchemaError(`${where}: unknown type '${value}' (use "string", "integer", "float", "boolean", {} or [])`);
  }
  // StreamAlert checks that the value is a list and nothing more, so ["string"] means [] there too.
  if (Array.isArray(value)) return ANY_LIST;
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return ANY_OBJECT;
    return { kind: 'nested', fields: compileFields(value, where) };
  }
  throw new SchemaError(`${where}: unknown type ${JSON.stringify(value)} (use "string", "integer", "float", "boolean", {} or [])`);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new SchemaError(`${where} must be a list of key names`);
  return value as string[];
}
