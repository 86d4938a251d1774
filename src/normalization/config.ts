import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { CONDITION_OPERATORS, type ConditionOperator, type Extractor, type LogNormalization, type NormalizationCondition, type NormalizedTypeSpec } from './types.ts';

/** conf/normalized_types.json, StreamAlert's v1 format: `{ "<log source>": { "<type>": ["key", ...] } }`. */
export const NORMALIZED_TYPES_FILE = 'conf/normalized_types.json';

const V2_KEYS = new Set(['path', 'function', 'condition', 'send_to_artifacts']);
/** Bounds on what a hand-written config may declare, so a mistake cannot make every record slow. */
const MAX_TYPES = 1_000;
const MAX_EXTRACTORS = 100;

/**
 * Normalization belongs to a log type, and the compiled LogSchema is the classifier's: it is
 * kept beside it here, set when a project's rules load (loadNormalization) and read by the
 * rules engine for each record.
 */
const bySchema = new WeakMap<LogSchema, LogNormalization>();

/** What the log type normalizes, if anything. */
export function normalizationOf(schema: LogSchema): LogNormalization | undefined {
  return bySchema.get(schema);
}

export interface NormalizationLoad {
  /** Per log type, the normalized types it declares. */
  readonly declared: ReadonlyMap<string, ReadonlySet<string>>;
  /** A problem per normalized type (or file) that cannot be used; each disables only that type. */
  readonly problems: LoadProblem[];
}

/**
 * Reads the normalization of a project's log types (v2: `configuration.normalization` in
 * conf/schemas/*.json; v1: conf/normalized_types.json by log source), checks it as StreamAlert
 * does, and attaches it to the schemas for the rules engine. A bad declaration disables that
 * normalized type of that log type only.
 *
 * @example
 *   const { declared, problems } = loadNormalization(dir, loadSchemas(dir).schemas);
 *   declared.get('cloudwatch:events')  // Set { 'ip_address', 'user_identity' }
 */
export function loadNormalization(projectDir: string, schemas: readonly LogSchema[]): NormalizationLoad {
  const problems: LoadProblem[] = [];
  const v1 = readV1(projectDir, problems);
  const files = new Map<string, unknown>();
  const declared = new Map<string, Set<string>>();
  for (const schema of schemas) {
    const types = new Map<string, Extractor[]>();
    const declaration = v2Declaration(projectDir, schema, files);
    const raw = objectOr(declaration);
    if (declaration !== undefined && raw === undefined) {
      const message = `${schema.file}: log type ${schema.name}: configuration.normalization must be an object of normalized types, e.g. {"ip_address": [{"path": ["detail", "sourceIPAddress"]}]}; fix the schema`;
      problems.push({ kind: 'log-type', file: schema.file, message, disables: `the normalization of log type ${schema.name}` });
    }
    if (raw !== undefined) {
      for (const [name, params] of Object.entries(raw).slice(0, MAX_TYPES)) {
        try {
          types.set(name, parseV2(params));
        } catch (error) {
          if (!(error instanceof NormalizationError)) throw error;
          const message = `${schema.file}: log type ${schema.name}: normalization '${name}' ${error.message}; fix the schema (StreamAlert's format: docs/rules.md#normalization)`;
          problems.push({ kind: 'log-type', file: schema.file, message, disables: `normalized type ${name} of log type ${schema.name}` });
        }
      }
    }
    for (const [name, keys] of v1.get(schema.source) ?? []) types.set(name, [...(types.get(name) ?? []), { kind: 'keys', keys }]);
    if (types.size === 0) {
      bySchema.delete(schema);
      continue;
    }
    const spec: NormalizedTypeSpec[] = [...types].map(([name, extractors]) => ({ name, extractors }));
    bySchema.set(schema, { types: spec });
    declared.set(schema.name, new Set(types.keys()));
  }
  return { declared, problems };
}

class NormalizationError extends Error {}

/** The raw `configuration.normalization` of the schema's entry, if it has one (the file already loaded as JSON). */
function v2Declaration(projectDir: string, schema: LogSchema, files: Map<string, unknown>): unknown {
  if (!files.has(schema.file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(projectDir, schema.file), 'utf8'));
    } catch {
      parsed = undefined; // the schema loader reported it; a schema built in memory has no file
    }
    files.set(schema.file, parsed);
  }
  const entry = objectOr(objectOr(files.get(schema.file))?.[schema.name]);
  return objectOr(entry?.configuration)?.normalization;
}

/** StreamAlert's NormalizedType params: a list of keys (one path), or a list of {path, function, condition, send_to_artifacts}. */
function parseV2(params: unknown): Extractor[] {
  if (!Array.isArray(params)) throw new NormalizationError(`must be a list: of keys (a path, e.g. ["detail", "sourceIPAddress"]) or of {"path": [...], "function": "..."}`);
  if (params.length === 0) throw new NormalizationError('is an empty list');
  if (params.every((param) => typeof param === 'string')) return [{ kind: 'path', path: params as string[], function: null, sendToArtifacts: true }];
  if (params.length > MAX_EXTRACTORS) throw new NormalizationError(`has ${params.length} entries; at most ${MAX_EXTRACTORS}`);
  return params.map((param, index) => {
    const where = `entry ${index + 1}`;
    const entry = objectOr(param);
    if (entry === undefined) throw new NormalizationError(`${where}: mixes keys and objects; use a list of keys (one path) or a list of objects with 'path'`);
    const unknown = Object.keys(entry).filter((key) => !V2_KEYS.has(key));
    if (unknown.length > 0) throw new NormalizationError(`${where}: unknown key '${unknown[0]}' (keys: ${[...V2_KEYS].join(', ')})`);
    const path = keyPath(entry.path, `${where}: path`);
    if (entry.function !== undefined && entry.function !== null && typeof entry.function !== 'string') throw new NormalizationError(`${where}: function must be text`);
    if (entry.send_to_artifacts !== undefined && typeof entry.send_to_artifacts !== 'boolean') throw new NormalizationError(`${where}: send_to_artifacts must be true or false`);
    const condition = entry.condition === undefined ? undefined : parseCondition(entry.condition, `${where}: condition`);
    return {
      kind: 'path',
      path,
      function: typeof entry.function === 'string' && entry.function !== '' ? entry.function : null,
      ...(condition && { condition }),
      sendToArtifacts: entry.send_to_artifacts !== false,
    } satisfies Extractor;
  });
}

function parseCondition(raw: unknown, where: string): NormalizationCondition {
  const condition = objectOr(raw);
  if (condition === undefined) throw new NormalizationError(`${where} must be an object: {"path": [...], "is": "value"}`);
  const path = keyPath(condition.path, `${where}: path`);
  const operators = CONDITION_OPERATORS.filter((operator) => condition[operator] !== undefined);
  const extra = Object.keys(condition).filter((key) => key !== 'path' && !(CONDITION_OPERATORS as readonly string[]).includes(key));
  if (extra.length > 0) throw new NormalizationError(`${where}: unknown key '${extra[0]}' (keys: path, ${CONDITION_OPERATORS.join(', ')})`);
  if (operators.length !== 1) throw new NormalizationError(`${where} needs exactly one of ${CONDITION_OPERATORS.join(', ')} (has ${operators.join(', ') || 'none'})`);
  const operator: ConditionOperator = operators[0]!;
  const operand = condition[operator];
  const listOperator = operator === 'in' || operator === 'not_in';
  const isText = typeof operand === 'string';
  const isList = Array.isArray(operand) && operand.every((item) => typeof item === 'string');
  if (!(isText || (listOperator && isList))) throw new NormalizationError(`${where}: '${operator}' takes ${listOperator ? 'a list of text values' : 'a text value'}`);
  return { path, operator, operand: operand as string | string[] };
}

function keyPath(raw: unknown, where: string): string[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((key) => typeof key !== 'string')) throw new NormalizationError(`${where} must be a non-empty list of keys, e.g. ["detail", "sourceIPAddress"]`);
  return raw as string[];
}

/** conf/normalized_types.json by log source; a bad entry is a problem disabling only that type of that source. */
function readV1(projectDir: string, problems: LoadProblem[]): Map<string, Map<string, ReadonlySet<string>>> {
  const bySource = new Map<string, Map<string, ReadonlySet<string>>>();
  const path = join(projectDir, NORMALIZED_TYPES_FILE);
  if (!existsSync(path)) return bySource;
  const problem = (message: string, disables: string) => problems.push({ kind: 'log-type', file: NORMALIZED_TYPES_FILE, message: `${NORMALIZED_TYPES_FILE}: ${message}`, disables });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problem(`is not valid JSON (${(error as Error).message}); fix the file`, `every normalized type in ${NORMALIZED_TYPES_FILE}`);
    return bySource;
  }
  const sources = objectOr(raw);
  if (sources === undefined) {
    problem('expected an object of log sources, e.g. {"cloudtrail": {"sourceAddress": ["sourceIPAddress"]}}', `every normalized type in ${NORMALIZED_TYPES_FILE}`);
    return bySource;
  }
  for (const [source, types] of Object.entries(sources)) {
    const byType = objectOr(types);
    if (byType === undefined) {
      problem(`'${source}' must be an object of normalized types, e.g. {"sourceAddress": ["sourceIPAddress"]}`, `the normalized types of log source ${source}`);
      continue;
    }
    const parsed = new Map<string, ReadonlySet<string>>();
    for (const [name, keys] of Object.entries(byType).slice(0, MAX_TYPES)) {
      if (!Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key !== 'string')) {
        problem(`'${source}'.'${name}' must be a non-empty list of key names, e.g. ["sourceIPAddress"]`, `normalized type ${name} of log source ${source}`);
        continue;
      }
      parsed.set(name, new Set(keys as string[]));
    }
    bySource.set(source, parsed);
  }
  return bySource;
}

function objectOr(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
