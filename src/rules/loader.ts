import { join, relative, sep } from 'node:path';
import { SEVERITIES, type Severity } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import type { LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { describeError } from '../observability/describe-error.ts';
import { configuredOutputs, type OutputsConfig } from '../config/project.ts';
import { resolvePublishers, type PublisherAssignment } from '../publishers/assign.ts';
import { PublisherError } from '../publishers/errors.ts';
import { RuleLoadError } from './errors.ts';
import { exitsRefused, refuseExits, registerUserFile } from './exit-guard.ts';
import { importProjectModule, moduleFiles, moduleTypeProblem } from '../config/module-files.ts';
import { nearest } from '../config/nearest.ts';
import { serviceIds } from '../outputs/registry.ts';
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
  /** Log types a schema problem disabled, and the schema file of each: rules on only these are disabled too. */
  readonly disabledLogTypes?: ReadonlyMap<string, string>;
}

/** The rules that loaded, and a problem for each file or rule that did not. */
export interface RuleLoad {
  readonly rules: LoadedRule[];
  readonly problems: LoadProblem[];
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
 * types exist in conf/schemas; it has outputs, each in conf/outputs.json; its publishers are
 * registered. Each problem names the file and the rule, and disables only that rule (or the
 * rules of a file that does not load): the other rules load.
 *
 * TypeScript files load without a build step where tsx is registered (the CLI does it).
 *
 * @example
 *   const { rules, problems } = await loadRules({ dir, schemas, outputs: loadProject(dir).outputs });
 */
export async function loadRules(project: RuleProject): Promise<RuleLoad> {
  const configured = new Set(configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
  const knownLogs = new Set(project.schemas.map((schema) => schema.name));
  const disabledLogs = project.disabledLogTypes ?? new Map<string, string>();
  const byName = new Map<string, LoadedRule>();
  const nameOf = new Map<Rule<never, never>, string>();
  const problems: LoadProblem[] = [];
  const problem = (file: string, message: string, disables: string, name?: string) => problems.push({ kind: 'rule', file, ...(name !== undefined && { name }), message, disables });
  /** The file whose import created each rule, to say where an unexported one is. */
  const createdIn = new Map<Rule<never, never>, string>();

  for (const path of [...moduleFiles(join(project.dir, 'publishers')), ...moduleFiles(join(project.dir, 'rules'))]) {
    const file = relative(project.dir, path).split(sep).join('/');
    const createdBefore = ruleCount();
    const exports = await importModule(path, file);
    if (typeof exports === 'string') {
      // The rules it created before failing go with it: they are not also 'not exported'.
      problem(file, exports, `everything in ${file}`);
      continue;
    }
    for (const created of rulesCreatedSince(createdBefore)) createdIn.set(created, file);
    const named = new Set(exports.filter(([exportName]) => exportName !== 'default').map(([, value]) => value));
    for (const [exportName, value] of exports) {
      if (!isRule(value)) continue;
      const known = nameOf.get(value);
      if (known === exportName) continue; // re-exported from another file: the same rule
      if (exportName === 'default') {
        if (named.has(value)) continue; // also exported by name: it has one
        problem(file, `${file}: a rule is the default export, so it has no name; export it by name (export const my_rule = rule(...))`, 'its default-exported rule');
      } else if (known) {
        byName.delete(known);
        problem(file, `${file}: rule '${known}' is also exported as '${exportName}'; a rule has one name`, `rule ${known}`, known);
      } else if (byName.has(exportName)) {
        const previous = byName.get(exportName)!.file;
        problem(file, `${file}: rule '${exportName}' is already defined in ${previous}; rule names must be unique`, `rule ${exportName} of ${file} (the one in ${previous} runs)`, exportName);
      } else {
        try {
          byName.set(exportName, checkRule(value, exportName, file, { knownLogs, disabledLogs, configured }));
        } catch (error) {
          if (!(error instanceof RuleLoadError)) throw error;
          problem(file, error.message, `rule ${exportName}`, exportName);
        }
      }
      nameOf.set(value, exportName === 'default' ? '' : exportName);
    }
  }

  const unnamedByFile = new Map<string, Rule<never, never>[]>();
  for (const [created, file] of createdIn) {
    if (!nameOf.has(created)) unnamedByFile.set(file, [...(unnamedByFile.get(file) ?? []), created]);
  }
  for (const [file, unnamed] of unnamedByFile) {
    const logs = unnamed.map((created) => JSON.stringify(created.options?.logs ?? [])).join(', ');
    problem(file, `${file}: ${unnamed.length} rule(s) (logs ${logs}) are not exported, so they have no name: export each (export const my_rule = rule(...))`, `its ${unnamed.length} unexported rule(s)`);
  }
  return { rules: [...byName.values()], problems };
}

/** The module's exports, or why it could not be imported. It may not end the process: see refuseExits. */
async function importModule(path: string, file: string): Promise<Array<[string, unknown]> | string> {
  registerUserFile(path);
  const exitsBefore = exitsRefused();
  const allowExits = refuseExits();
  try {
    const exports = Object.entries(await importProjectModule(path));
    if (exitsRefused() === exitsBefore) return exports;
    return `${file} could not be loaded (it called process.exit and caught the RuleExitError that stopped it; rule files must not end the process); fix the file`;
  } catch (error) {
    // Under a CommonJS package.json, Node's own error (a require(esm) cycle) hides the cause.
    const notModule = moduleTypeProblem(path);
    if (notModule !== undefined) return `${file} could not be loaded: ${notModule}`;
    // describeError gives one line: a compiler's message spans several, and each problem is reported on one.
    return `${file} could not be loaded (${describeError(error)}); fix the file`;
  } finally {
    allowExits();
  }
}

interface RuleChecks {
  readonly knownLogs: ReadonlySet<string>;
  readonly disabledLogs: ReadonlyMap<string, string>;
  readonly configured: ReadonlySet<string>;
}

function checkRule(declared: Rule<never, never>, name: string, file: string, { knownLogs, disabledLogs, configured }: RuleChecks): LoadedRule {
  const where = `${file}: rule ${name}`;
  const fail = (message: string): never => {
    throw new RuleLoadError(`${where}: ${message}`);
  };
  const options: Record<string, unknown> = isPlainObject(declared.options) ? declared.options : fail('options must be an object, e.g. { logs: [...], outputs: [...] }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) fail(`unknown option '${key}' (options: ${[...OPTION_KEYS].join(', ')})`);
  }
  if (typeof declared.fn !== 'function') fail('needs a function (record, context) => boolean as its second argument');

  const declaredLogs = stringList(options.logs, 'logs', fail);
  if (declaredLogs.length === 0) fail("needs 'logs': the log types it runs on, e.g. logs: ['cloudtrail:events']");
  // A log type a schema problem disabled is skipped: the rule runs on its others, if it has any.
  const logs = declaredLogs.filter((log) => knownLogs.has(log) || !disabledLogs.has(log));
  for (const log of logs) {
    if (!knownLogs.has(log)) fail(`log type '${log}' is not declared in conf/schemas (known: ${[...knownLogs].join(', ') || 'none'})`);
  }
  if (logs.length === 0) {
    const files = [...new Set(declaredLogs.map((log) => disabledLogs.get(log)))].join(', ');
    fail(`its log type(s) ${declaredLogs.map((log) => `'${log}'`).join(', ')} are disabled by a problem in ${files}; fix the schema or change the rule`);
  }

  const outputs = stringList(options.outputs, 'outputs', fail);
  for (const output of outputs) {
    if (!configured.has(output)) fail(unconfiguredOutput(output, configured));
  }

  const dynamicOutputs = options.dynamicOutputs ?? [];
  if (!Array.isArray(dynamicOutputs) || dynamicOutputs.some((fn) => typeof fn !== 'function')) fail('dynamicOutputs must be a list of functions (record, context) => outputs');
  if (outputs.length === 0 && (dynamicOutputs as unknown[]).length === 0) {
    fail(`has no outputs, so its alerts would go nowhere; add outputs: ['service:descriptor'] (configured: ${[...configured].join(', ') || 'none'}) or dynamicOutputs`);
  }

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
      fail(`context must be JSON data (${describeError(error)})`);
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

/**
 * Why a rule's output is not configured, with the advice that fits: the format when it is not
 * service:descriptor, the nearest service when its service does not exist (no point adding an
 * output of a service that is not there), else how to add it.
 */
function unconfiguredOutput(output: string, configured: ReadonlySet<string>): string {
  const listed = `configured: ${[...configured].join(', ') || 'none'}`;
  const colon = output.indexOf(':');
  if (colon <= 0 || colon === output.length - 1) {
    const ofService = [...configured].filter((name) => name.startsWith(`${output}:`));
    const example = ofService.length > 0 ? `did you mean ${ofService.map((name) => `'${name}'`).join(' or ')}?` : `e.g. 'slack:sec-alerts'`;
    return `output '${output}' is not an output name: outputs are written service:descriptor; ${example} (${listed})`;
  }
  const service = output.slice(0, colon);
  const services = new Set([...serviceIds(), ...[...configured].map((name) => name.slice(0, name.indexOf(':')))]);
  if (!services.has(service)) {
    const guess = nearest(service, services);
    return `output '${output}': unknown service '${service}'; ${guess ? `did you mean '${guess}'?` : `the services are: ${[...services].sort().join(', ')}`} (${listed})`;
  }
  return `output '${output}' is not configured in conf/outputs.json (${listed}); add it with 'streamalert output new --service ${service}' or change the rule`;
}

function stringList(value: unknown, option: string, fail: (message: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return fail(`${option} must be a list of strings`);
  return [...(value as string[])];
}
