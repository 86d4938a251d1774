import { join, relative, sep } from 'node:path';
import { SEVERITIES, type Severity } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import type { LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { describeError } from '../observability/describe-error.ts';
import { configuredOutputs, loadProject, type OutputsConfig } from '../config/project.ts';
import { loadNormalization } from '../normalization/config.ts';
import { resolvePublishers, type PublisherAssignment } from '../publishers/assign.ts';
import { PublisherError } from '../publishers/errors.ts';
import { RuleLoadError } from './errors.ts';
import { exitsRefused, refuseExits, registerUserFile } from './exit-guard.ts';
import { importProjectModule, moduleFiles, moduleTypeProblem } from '../config/module-files.ts';
import { nearest } from '../config/nearest.ts';
import { serviceIds } from '../outputs/registry.ts';
import {
  isMatcher,
  isRule,
  matcherCount,
  matchersCreatedSince,
  ruleCount,
  rulesCreatedSince,
  type DynamicOutput,
  type Matcher,
  type MatcherFunction,
  type Rule,
  type RuleContext,
  type RuleFunction,
} from './rule.ts';
import { isStaged, readStagingState } from './staging.ts';
import { checkNoiseOptions, markInhibited } from '../noise/rule-options.ts';
import type { RuleNoise } from '../noise/rule-settings.ts';

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
  readonly mergeSendFirst?: boolean;
  /** Dedup, thresholds and inhibition (src/noise), when the rule sets any of their options. */
  readonly noise?: RuleNoise;
  /** StreamAlert's `@disable`: loaded, checked and listed, never run. */
  readonly disabled?: true;
  /** Normalized types: the rule runs only on records with a value for one of them. */
  readonly datatypes?: readonly string[];
  /** The rule runs only on records every one of these matches. */
  readonly matchers?: readonly LoadedMatcher[];
  /** Present while the rule is staged: its alerts are flagged staged and go only to these outputs (conf/global.json staging.outputs). */
  readonly staging?: { readonly outputs: readonly string[] };
  readonly fn: RuleFunction;
}

/** A matcher checked against its project. */
export interface LoadedMatcher {
  readonly name: string;
  readonly file: string;
  /** The log types it applies to; undefined: any. */
  readonly logs?: ReadonlySet<string>;
  readonly fn: MatcherFunction;
}

/** What rules are checked against: the project's schemas and configured outputs. */
export interface RuleProject {
  readonly dir: string;
  readonly schemas: readonly LogSchema[];
  readonly outputs: OutputsConfig;
  /** Log types a schema problem disabled, and the schema file of each: rules on only these are disabled too. */
  readonly disabledLogTypes?: ReadonlyMap<string, string>;
  /** Where staged rules' alerts go; default: conf/global.json `staging.outputs`, read when a rule is staged. */
  readonly stagingOutputs?: readonly string[];
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
  'mergeSendFirst',
  'disabled',
  'staged',
  'matchers',
  'datatypes',
  'dedup',
  'dedupPeriodMins',
  'threshold',
  'inhibits',
  'inhibitWindowMins',
]);

/**
 * Imports the project's publishers/, matchers/ then rules/ (every .ts, .mts, .js, .mjs, at any
 * depth, in path order) and checks each exported rule: its name is its export name, unique; its
 * log types exist in conf/schemas; it has outputs, each in conf/outputs.json; its publishers are
 * registered; its matchers are declared; its datatypes are normalized by its log types. Each
 * problem names the file and the rule, and disables only that rule (or the rules of a file that
 * does not load): the other rules load. Normalization (conf/schemas, conf/normalized_types.json)
 * is read here too, and attached to the schemas for the rules engine.
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
  const normalization = loadNormalization(project.dir, project.schemas);
  const staging = readStagingState(project.dir);
  let stagingOutputs = project.stagingOutputs;
  let routed: boolean | undefined;
  const checks: RuleChecks = {
    knownLogs,
    disabledLogs,
    configured,
    normalizedTypes: normalization.declared,
    isStaged: (name, declared) => isStaged(staging, name, declared),
    stagingOutputs: () => (stagingOutputs ??= loadProject(project.dir).global.staging.outputs),
    routed: () => (routed ??= Object.values(loadProject(project.dir).global.routing).some((outputs) => (outputs ?? []).length > 0)),
  };
  const byName = new Map<string, LoadedRule>();
  const matcherRefs = new Map<string, readonly (string | Matcher<never>)[]>();
  const nameOf = new Map<Rule<never, never>, string>();
  const problems: LoadProblem[] = [...normalization.problems];
  const problem = (file: string, message: string, disables: string, name?: string) => problems.push({ kind: 'rule', file, ...(name !== undefined && { name }), message, disables });
  /** The file whose import created each rule, to say where an unexported one is. */
  const createdIn = new Map<Rule<never, never>, string>();
  const matchersIn = new Map<Matcher<never>, string>();

  for (const path of [...moduleFiles(join(project.dir, 'publishers')), ...moduleFiles(join(project.dir, 'matchers')), ...moduleFiles(join(project.dir, 'rules'))]) {
    const file = relative(project.dir, path).split(sep).join('/');
    const createdBefore = ruleCount();
    const matchersBefore = matcherCount();
    const exports = await importModule(path, file);
    if (typeof exports === 'string') {
      // The rules it created before failing go with it: they are not also 'not exported'.
      problem(file, exports, `everything in ${file}`);
      continue;
    }
    for (const created of rulesCreatedSince(createdBefore)) createdIn.set(created, file);
    for (const created of matchersCreatedSince(matchersBefore)) matchersIn.set(created, file);
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
          const checked = checkRule(value, exportName, file, checks);
          byName.set(exportName, checked.rule);
          if (checked.matchers.length > 0) matcherRefs.set(exportName, checked.matchers);
        } catch (error) {
          if (!(error instanceof RuleLoadError)) throw error;
          problem(file, error.message, `rule ${exportName}`, exportName);
        }
      }
      nameOf.set(value, exportName === 'default' ? '' : exportName);
    }
  }

  // Matchers are resolved once every file is in: a rule may name one declared in a later file.
  const matchers = checkMatchers(matchersIn, checks, problem);
  for (const [name, refs] of matcherRefs) {
    const loaded = byName.get(name);
    if (loaded === undefined) continue; // replaced by a duplicate's problem
    try {
      byName.set(name, { ...loaded, matchers: resolveMatchers(refs, loaded, matchers) });
    } catch (error) {
      if (!(error instanceof RuleLoadError)) throw error;
      byName.delete(name);
      problem(loaded.file, error.message, `rule ${name}`, name);
    }
  }

  // Inhibited rules are named by name, and may be declared in any file: checked once all are in.
  for (const [name, message] of markInhibited(byName)) {
    const loaded = byName.get(name)!;
    byName.delete(name);
    problem(loaded.file, `${loaded.file}: rule ${name}: ${message}`, `rule ${name}`, name);
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

/** The project's matchers by name, each checked; a problem for each that is not usable (rules naming it then get theirs). */
interface MatcherTable {
  readonly byName: ReadonlyMap<string, LoadedMatcher>;
  readonly byValue: ReadonlyMap<Matcher<never>, LoadedMatcher>;
  /** Names declared but not usable, and why in short, for the rules that name them. */
  readonly broken: ReadonlyMap<string, string>;
}

function checkMatchers(created: ReadonlyMap<Matcher<never>, string>, checks: RuleChecks, problem: (file: string, message: string, disables: string) => void): MatcherTable {
  const byName = new Map<string, LoadedMatcher>();
  const byValue = new Map<Matcher<never>, LoadedMatcher>();
  const broken = new Map<string, string>();
  for (const [declared, file] of created) {
    const name: unknown = declared.name;
    const refuse = (message: string) => {
      const label = typeof name === 'string' && name !== '' ? name : '(unnamed)';
      problem(file, `${file}: matcher ${label}: ${message}`, `matcher ${label} and the rules that use it`);
      if (typeof name === 'string' && !byName.has(name)) broken.set(name, `it did not load (see the problem in ${file})`);
    };
    if (typeof name !== 'string' || !/^[A-Za-z_][\w.:-]*$/.test(name)) {
      refuse("needs a name (letters, digits, '_', '.', ':', '-'), e.g. matcher('prod', { logs: [...] }, (rec) => ...)");
      continue;
    }
    if (byName.has(name)) {
      problem(file, `${file}: matcher '${name}' is already declared in ${byName.get(name)!.file}; matcher names must be unique`, `the matcher '${name}' of ${file} (the one in ${byName.get(name)!.file} is used)`);
      continue;
    }
    const options: Record<string, unknown> = isPlainObject(declared.options) ? declared.options : {};
    if (!isPlainObject(declared.options)) {
      refuse('options must be an object, e.g. { logs: [...] }');
      continue;
    }
    const unknownKey = Object.keys(options).find((key) => key !== 'logs' && key !== 'description');
    if (unknownKey !== undefined) {
      refuse(`unknown option '${unknownKey}' (options: logs, description)`);
      continue;
    }
    if (typeof declared.fn !== 'function') {
      refuse('needs a function (record) => boolean as its third argument');
      continue;
    }
    let logs: Set<string> | undefined;
    if (options.logs !== undefined) {
      const list = options.logs;
      if (!Array.isArray(list) || list.some((log) => typeof log !== 'string')) {
        refuse('logs must be a list of log types');
        continue;
      }
      const unknownLog = (list as string[]).find((log) => !checks.knownLogs.has(log) && !checks.disabledLogs.has(log));
      if (unknownLog !== undefined) {
        refuse(`log type '${unknownLog}' is not declared in conf/schemas (known: ${[...checks.knownLogs].join(', ') || 'none'})`);
        continue;
      }
      logs = new Set(list as string[]);
    }
    const loaded: LoadedMatcher = { name, file, ...(logs && { logs }), fn: declared.fn as MatcherFunction };
    byName.set(name, loaded);
    byValue.set(declared, loaded);
    broken.delete(name);
  }
  return { byName, byValue, broken };
}

/** A rule's matchers, by name or by value; one that is unknown, broken or for none of the rule's log types is a RuleLoadError. */
function resolveMatchers(refs: readonly (string | Matcher<never>)[], rule: LoadedRule, table: MatcherTable): LoadedMatcher[] {
  const where = `${rule.file}: rule ${rule.name}`;
  return refs.map((ref) => {
    const name = typeof ref === 'string' ? ref : ref.name;
    const loaded = typeof ref === 'string' ? table.byName.get(ref) : table.byValue.get(ref);
    if (loaded === undefined) {
      const broken = table.broken.get(name);
      if (broken !== undefined) throw new RuleLoadError(`${where}: matcher '${name}' cannot be used: ${broken}`);
      const guess = nearest(name, table.byName.keys());
      const known = [...table.byName.keys()];
      throw new RuleLoadError(`${where}: unknown matcher '${name}'; ${guess ? `did you mean '${guess}'?` : `matchers: ${known.join(', ') || "none (declare one with matcher('name', { logs: [...] }, (rec) => ...) in a file under matchers/)"}`}`);
    }
    const { logs } = loaded;
    if (logs !== undefined && !rule.logs.some((log) => logs.has(log))) {
      throw new RuleLoadError(`${where}: matcher '${name}' is for log types ${[...logs].join(', ')}, none of the rule's (${rule.logs.join(', ')}), so the rule could never run; change the rule's logs or the matcher's`);
    }
    return loaded;
  });
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
  /** Per log type, the normalized types it declares. */
  readonly normalizedTypes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Whether the rule is staged: conf/rule_staging.json, else its option. */
  readonly isStaged: (name: string, declared: boolean) => boolean;
  readonly stagingOutputs: () => readonly string[];
  /** Whether conf/global.json routes alerts by severity: then a rule may name no outputs. */
  readonly routed: () => boolean;
}

/** A rule checked, and the matchers it names, resolved once every file is loaded. */
interface CheckedRule {
  readonly rule: LoadedRule;
  readonly matchers: readonly (string | Matcher<never>)[];
}

function checkRule(declared: Rule<never, never>, name: string, file: string, checks: RuleChecks): CheckedRule {
  const { knownLogs, disabledLogs, configured, normalizedTypes } = checks;
  const where = `${file}: rule ${name}`;
  const fail = (message: string): never => {
    throw new RuleLoadError(`${where}: ${message}`);
  };
  const options: Record<string, unknown> = isPlainObject(declared.options) ? declared.options : fail('options must be an object, e.g. { logs: [...], outputs: [...] }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) fail(`unknown option '${key}' (options: ${[...OPTION_KEYS].join(', ')})`);
  }
  if (typeof declared.fn !== 'function') fail('needs a function (record, context) => boolean as its second argument');

  const datatypes = options.datatypes === undefined ? undefined : stringList(options.datatypes, 'datatypes', fail);
  if (datatypes?.length === 0) fail("datatypes is empty: list normalized types, e.g. datatypes: ['sourceAddress'], or leave it out");
  // StreamAlert runs a rule with datatypes and no logs on every log type; those normalizing none of them could never pass.
  const declaredLogs = options.logs === undefined && datatypes !== undefined ? logTypesNormalizing(datatypes, normalizedTypes) : stringList(options.logs, 'logs', fail);
  if (declaredLogs.length === 0 && datatypes !== undefined && options.logs === undefined) {
    fail(`no log type normalizes any of its datatypes (${datatypes.join(', ')}); normalized types: ${[...new Set([...normalizedTypes.values()].flatMap((types) => [...types]))].join(', ') || "none (declare them in the schemas' configuration.normalization or conf/normalized_types.json)"}`);
  }
  if (declaredLogs.length === 0) fail("needs 'logs': the log types it runs on, e.g. logs: ['cloudtrail:events'] (or 'datatypes')");
  // A log type a schema problem disabled is skipped: the rule runs on its others, if it has any.
  const logs = declaredLogs.filter((log) => knownLogs.has(log) || !disabledLogs.has(log));
  for (const log of logs) {
    if (!knownLogs.has(log)) fail(`log type '${log}' is not declared in conf/schemas (known: ${[...knownLogs].join(', ') || 'none'})`);
  }
  if (logs.length === 0) {
    const files = [...new Set(declaredLogs.map((log) => disabledLogs.get(log)))].join(', ');
    fail(`its log type(s) ${declaredLogs.map((log) => `'${log}'`).join(', ')} are disabled by a problem in ${files}; fix the schema or change the rule`);
  }

  if (datatypes !== undefined && logTypesNormalizing(datatypes, normalizedTypes).every((log) => !logs.includes(log))) {
    fail(`none of its log types (${logs.join(', ')}) normalizes any of its datatypes (${datatypes.join(', ')}), so it could never run; declare them in the schema's configuration.normalization or conf/normalized_types.json`);
  }
  const matchers = options.matchers ?? [];
  if (!Array.isArray(matchers) || matchers.some((ref) => typeof ref !== 'string' && !isMatcher(ref))) fail("matchers must be a list of matcher names or matcher() values, e.g. matchers: ['prod']");
  for (const flag of ['disabled', 'staged'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') fail(`${flag} must be true or false`);
  }

  const outputs = stringList(options.outputs, 'outputs', fail);
  for (const output of outputs) {
    if (!configured.has(output)) fail(unconfiguredOutput(output, configured));
  }

  const dynamicOutputs = options.dynamicOutputs ?? [];
  if (!Array.isArray(dynamicOutputs) || dynamicOutputs.some((fn) => typeof fn !== 'function')) fail('dynamicOutputs must be a list of functions (record, context) => outputs');
  if (outputs.length === 0 && (dynamicOutputs as unknown[]).length === 0 && !checks.routed()) {
    fail(`has no outputs, so its alerts would go nowhere; add outputs: ['service:descriptor'] (configured: ${[...configured].join(', ') || 'none'}) or dynamicOutputs, or route alerts by severity (conf/global.json routing)`);
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
  if (options.mergeSendFirst !== undefined && typeof options.mergeSendFirst !== 'boolean') fail('mergeSendFirst must be true or false');
  // An option that would do nothing is refused: merging needs both (StreamAlert's merge_enabled).
  const merges = (mergeByKeys?.length ?? 0) > 0 && (mergeWindowMins as number) > 0;
  if (!merges && ((mergeByKeys?.length ?? 0) > 0 || (mergeWindowMins as number) > 0 || options.mergeSendFirst === true)) {
    fail('merging alerts needs both mergeByKeys (the keys to merge by) and mergeWindowMins (minutes, more than 0)');
  }

  const noise = checkNoiseOptions(options, name, fail);
  if (noise?.window && merges) fail('a rule either merges (mergeByKeys) or dedups (dedup, dedupPeriodMins, threshold), not both');

  const staged = checks.isStaged(name, options.staged === true);
  const rule: LoadedRule = {
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
    ...(options.mergeSendFirst === true && { mergeSendFirst: true }),
    ...(noise && { noise }),
    ...(options.disabled === true && { disabled: true as const }),
    ...(datatypes && { datatypes }),
    ...(staged && { staging: { outputs: checks.stagingOutputs() } }),
    fn: declared.fn as RuleFunction,
  };
  return { rule, matchers: matchers as (string | Matcher<never>)[] };
}

/** The log types that declare at least one of the normalized types, in the order they were declared. */
function logTypesNormalizing(datatypes: readonly string[], normalizedTypes: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return [...normalizedTypes].filter(([, types]) => datatypes.some((type) => types.has(type))).map(([log]) => log);
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
