import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEVERITIES, type Severity } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import type { LogSchema } from '../classifier/schema.ts';
import { configuredOutputs, type OutputsConfig } from '../config/project.ts';
import { resolvePublishers, type PublisherAssignment } from '../publishers/assign.ts';
import { PublisherError } from '../publishers/errors.ts';
import { RuleLoadError } from './errors.ts';
import { moduleFiles } from '../config/module-files.ts';
import { isRule, ruleCount, rulesCreatedSince, type DynamicOutput, type Rule, type RuleContext, type RuleFunction } from './rule.ts';

/** A rule checked against its project, ready to run. */
export interface LoadedRule {
  /** The export name. */
  readonly name: string;
  /** The file that exports it, relative to the project. */
  readonly file: string;
  readonly logs: readonly string[];
  readonly outputs: readonly string[];
  readonly dynamicOutputs: readonly DynamicOutput[];
  readonly publishers?: PublisherAssignment;
  readonly context?: RuleContext;
  readonly reqSubkeys?: Readonly<Record<string, readonly string[]>>;
  readonly description: string;
  readonly severity: Severity;
  readonly mergeByKeys?: readonly string[];
  readonly mergeWindowMins?: number;
  readonly fn: RuleFunction;
}

/** What rules are checked against: the project's schemas and configured outputs. */
export interface RuleProject {
  readonly dir: string;
  readonly schemas: readonly LogSchema[];
  readonly outputs: OutputsConfig;
}

const OPTION_KEYS = new Set([
  'logs',
  'outputs',
  'dynamicOutputs',
  'publishers',
  'context',
  'reqSubkeys',
  'description',
  'severity',
  'mergeByKeys',
  'mergeWindowMins',
]);

/**
 * Imports the project's publishers/ then rules/ (every .ts, .mts, .js, .mjs, at any depth, in
 * path order) and checks each exported rule: its name is its export name, unique; its log
 * types exist in conf/schemas; its outputs are in conf/outputs.json; its publishers are
 * registered. Any problem is a RuleLoadError naming the file and the rule.
 *
 * TypeScript files load without a build step where tsx is registered (the CLI does it).
 *
 * @example
 *   const rules = await loadRules({ dir, schemas: loadSchemas(dir), outputs: loadProject(dir).outputs });
 */
export async function loadRules(project: RuleProject): Promise<LoadedRule[]> {
  const configured = new Set(configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
  const knownLogs = new Set(project.schemas.map((schema) => schema.name));
  const createdBefore = ruleCount();
  const byName = new Map<string, LoadedRule>();
  const nameOf = new Map<Rule<never, never>, string>();

  for (const path of [...moduleFiles(join(project.dir, 'publishers')), ...moduleFiles(join(project.dir, 'rules'))]) {
    const file = relative(project.dir, path).split(sep).join('/');
    const exports = await importModule(path, file);
    for (const [exportName, value] of exports) {
      if (!isRule(value)) continue;
      if (exportName === 'default') throw new RuleLoadError(`${file}: a rule is the default export, so it has no name; export it by name (export const my_rule = rule(...))`);
      const known = nameOf.get(value);
      if (known === exportName) continue; // re-exported from another file: the same rule
      if (known) throw new RuleLoadError(`${file}: rule '${known}' is also exported as '${exportName}'; a rule has one name`);
      const previous = byName.get(exportName);
      if (previous) throw new RuleLoadError(`${file}: rule '${exportName}' is already defined in ${previous.file}; rule names must be unique`);
      nameOf.set(value, exportName);
      byName.set(exportName, checkRule(value, exportName, file, knownLogs, configured));
    }
  }

  const unnamed = rulesCreatedSince(createdBefore).filter((created) => !nameOf.has(created));
  if (unnamed.length > 0) {
    const logs = unnamed.map((created) => JSON.stringify(created.options?.logs ?? [])).join(', ');
    throw new RuleLoadError(`${unnamed.length} rule(s) (logs ${logs}) are not exported, so they have no name: export each (export const my_rule = rule(...))`);
  }
  return [...byName.values()];
}

async function importModule(path: string, file: string): Promise<Array<[string, unknown]>> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new RuleLoadError(`${file} could not be loaded (${detail}); ${moduleTypeHint(path) ?? 'fix the file'}`, { cause: error });
  }
  return Object.entries(namespace);
}

/**
 * Rule files use `import`/`export`; Node reads .ts and .js files as CommonJS unless the nearest
 * package.json says `"type": "module"`, and then fails in confusing ways. Say so plainly.
 */
function moduleTypeHint(path: string): string | undefined {
  if (path.endsWith('.mts') || path.endsWith('.mjs')) return undefined;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module') return undefined;
      } catch {
        // an unreadable package.json: fall through to the hint
      }
      return `add "type": "module" to ${manifest} (rule files are ES modules), or name the file .mts`;
    }
    if (dirname(dir) === dir) return 'add a package.json with "type": "module" to the project (rule files are ES modules), or name the file .mts';
  }
}

function checkRule(declared: Rule<never, never>, name: string, file: string, knownLogs: ReadonlySet<string>, configured: ReadonlySet<string>): LoadedRule {
  const where = `${file}: rule ${name}`;
  const fail = (message: string): never => {
    throw new RuleLoadError(`${where}: ${message}`);
  };
  const options: Record<string, unknown> = isPlainObject(declared.options) ? declared.options : fail('options must be an object, e.g. { logs: [...], outputs: [...] }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) fail(`unknown option '${key}' (options: ${[...OPTION_KEYS].join(', ')})`);
  }
  if (typeof declared.fn !== 'function') fail('needs a function (record, context) => boolean as its second argument');

  const logs = stringList(options.logs, 'logs', fail);
  if (logs.length === 0) fail("needs 'logs': the log types it runs on, e.g. logs: ['cloudtrail:events']");
  for (const log of logs) {
    if (!knownLogs.has(log)) fail(`log type '${log}' is not declared in conf/schemas (known: ${[...knownLogs].join(', ') || 'none'})`);
  }

  const outputs = stringList(options.outputs, 'outputs', fail);
  for (const output of outputs) {
    if (!configured.has(output)) {
      const service = output.includes(':') ? output.slice(0, output.indexOf(':')) : output;
      fail(
        `output '${output}' is not configured in conf/outputs.json (configured: ${[...configured].join(', ') || 'none'}); ` +
          `add it with 'streamalert output new --service ${service}' or change the rule`,
      );
    }
  }

  const dynamicOutputs = options.dynamicOutputs ?? [];
  if (!Array.isArray(dynamicOutputs) || dynamicOutputs.some((fn) => typeof fn !== 'function')) fail('dynamicOutputs must be a list of functions (record, context) => outputs');

  let publishers: PublisherAssignment | undefined;
  if (options.publishers !== undefined) {
    try {
      publishers = resolvePublishers(options.publishers, where);
    } catch (error) {
      if (error instanceof PublisherError) throw new RuleLoadError(error.message);
      throw error;
    }
  }

  const context = options.context;
  if (context !== undefined && !isPlainObject(context)) fail('context must be an object');
  if (context !== undefined) {
    try {
      JSON.stringify(context);
    } catch (error) {
      fail(`context must be JSON data (${(error as Error).message})`);
    }
  }

  let reqSubkeys: Record<string, string[]> | undefined;
  if (options.reqSubkeys !== undefined) {
    if (!isPlainObject(options.reqSubkeys)) fail("reqSubkeys must be an object such as { detail: ['eventName'] }");
    reqSubkeys = Object.fromEntries(Object.entries(options.reqSubkeys as object).map(([key, subkeys]) => [key, stringList(subkeys, `reqSubkeys.${key}`, fail)]));
  }

  const description = options.description ?? '';
  if (typeof description !== 'string') fail('description must be text');
  const severity = options.severity ?? 'critical';
  if (!SEVERITIES.includes(severity as Severity)) fail(`severity must be one of ${SEVERITIES.join(', ')}`);
  const mergeByKeys = options.mergeByKeys === undefined ? undefined : stringList(options.mergeByKeys, 'mergeByKeys', fail);
  const mergeWindowMins = options.mergeWindowMins;
  if (mergeWindowMins !== undefined && (typeof mergeWindowMins !== 'number' || !(mergeWindowMins >= 0))) fail('mergeWindowMins must be a number of minutes');

  return {
    name,
    file,
    logs,
    outputs,
    dynamicOutputs: dynamicOutputs as DynamicOutput[],
    ...(publishers && { publishers }),
    ...(context !== undefined && { context: context as RuleContext }),
    ...(reqSubkeys && { reqSubkeys }),
    description: description as string,
    severity: severity as Severity,
    ...(mergeByKeys && { mergeByKeys }),
    ...(mergeWindowMins !== undefined && { mergeWindowMins: mergeWindowMins as number }),
    fn: declared.fn as RuleFunction,
  };
}

function stringList(value: unknown, option: string, fail: (message: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return fail(`${option} must be a list of strings`);
  return [...(value as string[])];
}
