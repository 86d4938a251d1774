import { z } from './zod.ts';
import { ConfigError } from './errors.ts';
import { nearest } from './nearest.ts';

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Where a checked value sits, for messages: its file, and its key in that file when not the top level. */
export interface ConfigPlace {
  /** Relative to the project, e.g. `conf/global.json`. */
  readonly file: string;
  /** Key path of the value inside the file, e.g. `['delivery']`. */
  readonly at?: Path;
}

/**
 * Checks a config file's content against its schema: the parsed data, or a ConfigError with one
 * line per problem in our words (never zod's), each naming the file and the key.
 *
 * @example
 *   parseConfig(GlobalConfigSchema, JSON.parse(text), { file: 'conf/global.json' })
 *   // ConfigError: conf/global.json: unknown key 'delivry'; did you mean 'delivery'?
 */
export function parseConfig<S extends Schema>(schema: S, raw: unknown, place: ConfigPlace): z.output<S> {
  const parsed = z.safeParse(schema, raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new ConfigError(configProblems(schema, parsed.error.issues, place).join('\n'));
}

/**
 * Zod issues as people read them: unknown keys with the nearest valid one, wrong values with what
 * the schema wants and what it got. Parse with `reportInput: true` so the values can be shown.
 *
 * @example
 *   configProblems(DeliveryPolicySchema, result.error.issues, { file: 'conf/global.json', at: ['delivery'] })
 *   // ["conf/global.json: delivery.maxAttempts must be a whole number from 1 to 100 (got 'five')"]
 */
export function configProblems(schema: Schema, issues: readonly Issue[], place: ConfigPlace, within: Path = []): string[] {
  return issues.flatMap((issue) => describeIssue(schema, issue, place, [...within, ...issue.path]));
}

function describeIssue(root: Schema, issue: Issue, place: ConfigPlace, path: Path): string[] {
  const shown = (keys: Path) => formatPath([...(place.at ?? []), ...keys]);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysOf(schemaAt(root, path));
      return issue.keys.map((key) => {
        const guess = nearest(key, known);
        const hint = guess === undefined ? `known keys: ${known.join(', ') || 'none'}` : `did you mean '${shown([...path, guess])}'?`;
        return `${place.file}: unknown key '${shown([...path, key])}'; ${hint}`;
      });
    }
    case 'invalid_key': {
      // A record's key that its key schema refused: our key schemas explain themselves.
      const parent = path.slice(0, -1);
      return issue.issues.map((inner) => `${place.file}: ${parent.length > 0 ? `${shown(parent)}: ` : ''}${inner.code === 'custom' ? inner.message : `key '${String(path.at(-1))}' is not valid`}`);
    }
    case 'invalid_union': {
      // The value had the shape of one option (a list, an object): its problems are the ones to tell.
      const fitting = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
      if (fitting.length === 1) return configProblems(root, fitting[0]!, place, path);
      break;
    }
    case 'custom':
      return [`${place.file}: ${path.length > 0 ? `${shown(path)}: ` : ''}${issue.message}`];
  }
  const schema = schemaAt(root, path);
  const wanted = schema ? expected(schema) : issue.message;
  const subject = path.length > 0 ? `${place.file}: ${shown(path)}` : place.file;
  return [issue.input === undefined ? `${subject} is missing; it must be ${wanted}` : `${subject} must be ${wanted} (got ${formatValue(issue.input)})`];
}

/** What a schema accepts, in words: its description if it has one, else from its type and checks. */
function expected(schema: Schema): string {
  for (let layer: Schema | undefined = schema; layer; layer = wrapped(layer)) {
    const description = z.globalRegistry.get(layer)?.description;
    if (description) return description;
  }
  const inner = unwrap(schema);
  const def = inner._zod.def as { type: string; entries?: Record<string, string>; options?: Schema[] };
  switch (def.type) {
    case 'number':
      return numberWords(inner as unknown as z.ZodNumber);
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).map((value) => `'${value}'`).join(', ')}`;
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    case 'union':
      return (def.options ?? []).map(expected).join(' or ');
    default:
      return def.type;
  }
}

function numberWords(schema: z.ZodNumber): string {
  const kind = schema.isInt ? 'a whole number' : 'a number';
  // Bounds as large as the safe integers are the int check's own, not the project's.
  const min = schema.minValue !== null && Math.abs(schema.minValue) < Number.MAX_SAFE_INTEGER ? schema.minValue : undefined;
  const max = schema.maxValue !== null && Math.abs(schema.maxValue) < Number.MAX_SAFE_INTEGER ? schema.maxValue : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** The schema of the value at `path`, through defaults, optionals, objects, records, lists and unions. */
function schemaAt(schema: Schema, path: Path): Schema | undefined {
  if (path.length === 0) return schema;
  const [key, ...rest] = path;
  const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, Schema>; valueType?: Schema; element?: Schema; options?: Schema[] };
  switch (def.type) {
    case 'object':
      return typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key) ? schemaAt(def.shape[key]!, rest) : undefined;
    case 'record':
      return typeof key === 'string' && def.valueType ? schemaAt(def.valueType, rest) : undefined;
    case 'array':
      return typeof key === 'number' && def.element ? schemaAt(def.element, rest) : undefined;
    case 'union':
      for (const option of def.options ?? []) {
        const found = schemaAt(option, path);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

function keysOf(schema: Schema | undefined): string[] {
  const def = schema && (unwrap(schema)._zod.def as { type: string; shape?: Record<string, Schema> });
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** The schema inside a default, prefault, optional, nullable, readonly or catch; undefined for others. */
function wrapped(schema: Schema): Schema | undefined {
  const def = schema._zod.def as { innerType?: Schema };
  return def.innerType;
}

function unwrap(schema: Schema): Schema {
  let inner = schema;
  for (let next = wrapped(inner); next; next = wrapped(inner)) inner = next;
  return inner;
}

function formatPath(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
