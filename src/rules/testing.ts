import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Alert } from '../alerts/alert.ts';
import { Classifier } from '../classifier/classifier.ts';
import { defaultValue } from '../classifier/coerce.ts';
import { embedRecord } from '../classifier/json-path.ts';
import { cloneJson, isPlainObject } from '../classifier/record.ts';
import type { Fields, LogSchema } from '../classifier/schema.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { nearest } from '../config/nearest.ts';
import { configuredOutputs } from '../config/project.ts';
import { describeEvent } from '../pipeline/events.ts';
import { publicationFor } from '../publishers/publish.ts';
import { RulesEngine } from './engine.ts';
import type { LoadedRule, RuleProject } from './loader.ts';

/** One test event of a rules/**\/*.json file, in StreamAlert's format, checked. */
export interface TestEvent {
  readonly file: string;
  /** 0-based position in the file's list. */
  readonly index: number;
  readonly description: string;
  readonly log: string;
  readonly payload: unknown;
  readonly triggerRules: readonly string[];
  readonly classifyOnly: boolean;
  readonly skipPublishers: boolean;
  readonly service: string;
  readonly source: string;
}

/** A test file or event that could not be used, and why. */
export interface MalformedTest {
  readonly file: string;
  /** 0-based; absent when the whole file is unusable. */
  readonly index?: number;
  readonly problem: string;
}

export interface TestOutcome {
  readonly event: TestEvent;
  readonly passed: boolean;
  /** The log types its records were classified as. */
  readonly classifiedAs: readonly string[];
  readonly unclassified: readonly string[];
  readonly expectedRules: readonly string[];
  readonly firedRules: readonly string[];
  /** Rules that threw, dynamic outputs that misbehaved, publishers that failed. */
  readonly errors: readonly string[];
}

export interface RuleTestReport {
  readonly outcomes: readonly TestOutcome[];
  readonly malformed: readonly MalformedTest[];
  /** Rules no test event expects to fire (only when not filtered by rule). */
  readonly untested: readonly string[];
  /** What did not load: each is a failure, as a rule that never runs cannot pass its tests. */
  readonly problems: readonly LoadProblem[];
  readonly passed: number;
  readonly failed: number;
}

const REQUIRED_KEYS = ['description', 'log'] as const;
const KNOWN_KEYS = new Set([
  'data',
  'override_record',
  'description',
  'log',
  'service',
  'source',
  'trigger_rules',
  'classify_only',
  'validate_schema_only',
  'skip_publishers',
  'compress',
]);

/**
 * Runs the test events next to the rules (rules/**\/*.json, StreamAlert's format): each event's
 * data is classified among the schemas of its log's source, must classify as `log`, and must
 * fire exactly `trigger_rules` (all rules run on it). Alerts also go through their publishers.
 * With `rule`, only the events expecting it to fire and those of its test files run (`eventsOf`).
 * An event expecting a rule that does not exist fails saying so, with the nearest rule name.
 * `problems` (from loading) join the report; an event expecting a rule that did not load fails
 * saying so.
 *
 * @example
 *   const report = await runRuleTests({ dir, schemas, outputs }, rules, { rule: 'duo_fraud', problems });
 *   report.failed + report.malformed.length + report.problems.length === 0
 */
export function runRuleTests(project: RuleProject, rules: readonly LoadedRule[], options: { rule?: string; problems?: readonly LoadProblem[] } = {}): RuleTestReport {
  const { events, malformed } = loadTestEvents(project);
  const allProblems = options.problems ?? [];
  const selected = options.rule === undefined ? events : events.filter(eventsOf(options.rule, rules, allProblems));
  // With a rule, its own problems and those of files that did not load (it may be in one).
  const problems = allProblems.filter((problem) => options.rule === undefined || problem.name === undefined || problem.name === options.rule);
  const loaded = new Set(rules.map((rule) => rule.name));
  const disabled = new Set(problems.flatMap((problem) => (problem.kind === 'rule' && problem.name !== undefined && !loaded.has(problem.name) ? [problem.name] : [])));
  const ruleNames = new Set([...rules.map((rule) => rule.name), ...allProblems.flatMap((problem) => (problem.kind === 'rule' && problem.name !== undefined ? [problem.name] : []))]);
  const unknownRule = unknownRuleMessage(ruleNames, allProblems);

  const configured = new Set(configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
  let errors: string[] = [];
  const engine = new RulesEngine(rules, { configuredOutputs: configured, onEvent: (event) => errors.push(describeEvent(event)) });
  const classifiers = new Map<string, Classifier>();
  const outcomes = selected.map((event) => {
    errors = [];
    const source = project.schemas.find((schema) => schema.name === event.log)!.source;
    const classifier = classifiers.get(source) ?? new Classifier(project.schemas, source);
    classifiers.set(source, classifier);
    for (const name of event.triggerRules) {
      if (disabled.has(name)) errors.push(`rule ${name} did not load (see 'Did not load' below)`);
      else if (!ruleNames.has(name)) errors.push(unknownRule(name));
    }
    return runEvent(event, classifier, engine, errors);
  });

  const expected = new Set(events.flatMap((event) => event.triggerRules));
  const untested = options.rule === undefined ? rules.map((rule) => rule.name).filter((name) => !expected.has(name)) : [];
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  return { outcomes, malformed, untested, problems, passed, failed: outcomes.length - passed };
}

/**
 * Which events `rules test --rule NAME` runs: those expecting the rule to fire, and every event
 * of its test files (named after the rule, or beside the file that defines it), so that the
 * events expecting it not to fire run too.
 */
function eventsOf(rule: string, rules: readonly LoadedRule[], problems: readonly LoadProblem[]): (event: TestEvent) => boolean {
  const ruleFiles = [...rules.filter((loaded) => loaded.name === rule), ...problems.filter((problem) => problem.kind === 'rule' && problem.name === rule)].map((found) => found.file);
  const testFiles = new Set(ruleFiles.map((file) => file.replace(/\.[mc]?[jt]s$/, '.json')));
  return (event) => event.triggerRules.includes(rule) || basename(event.file, '.json') === rule || testFiles.has(event.file);
}

/** What an event's trigger_rules entry that names no rule says: the nearest rule, and a file that did not load and may define it. */
function unknownRuleMessage(known: ReadonlySet<string>, problems: readonly LoadProblem[]): (name: string) => string {
  const unloaded = [...new Set(problems.filter((problem) => problem.kind === 'rule' && problem.name === undefined).map((problem) => problem.file))];
  return (name) => {
    const guess = nearest(name, known);
    const hint = guess ? `did you mean '${guess}'?` : `the rules are: ${[...known].join(', ') || 'none'}`;
    const maybe = unloaded.length > 0 ? ` (unless ${unloaded.join(', ')}, which did not load, defines it)` : '';
    return `unknown rule '${name}' in trigger_rules; ${hint}${maybe}`;
  };
}

function runEvent(event: TestEvent, classifier: Classifier, engine: RulesEngine, errors: string[]): TestOutcome {
  const { classified, unclassified } = classifier.classify(cloneJson(event.payload));
  const of = classified.length + unclassified.length;
  const alerts: Alert[] = [];
  for (const record of classified) alerts.push(...engine.evaluate(record, { ordinal: event.index + 1, index: record.index, of }));
  if (!event.skipPublishers) {
    for (const alert of alerts) {
      for (const output of alert.outputs) {
        try {
          publicationFor(alert, output);
        } catch (error) {
          errors.push(`publishers of rule ${alert.ruleName} for ${output} failed: ${(error as Error).message}`);
        }
      }
    }
  }
  const classifiedAs = [...new Set(classified.map((record) => record.schema.name))];
  const firedRules = [...new Set(alerts.map((alert) => alert.ruleName))].sort();
  const expectedRules = [...new Set(event.triggerRules)].sort();
  const classifiedRight = classified.length > 0 && unclassified.length === 0 && classifiedAs.every((name) => name === event.log);
  const rulesRight = event.classifyOnly || (firedRules.length === expectedRules.length && firedRules.every((name, i) => name === expectedRules[i]));
  return {
    event,
    passed: classifiedRight && rulesRight && errors.length === 0,
    classifiedAs,
    unclassified: unclassified.map((miss) => miss.reason),
    expectedRules,
    firedRules: event.classifyOnly ? [] : firedRules,
    errors: [...errors],
  };
}

/** Reads and checks every test event file under rules/. */
export function loadTestEvents(project: RuleProject): { events: TestEvent[]; malformed: MalformedTest[] } {
  const events: TestEvent[] = [];
  const malformed: MalformedTest[] = [];
  for (const path of jsonFiles(join(project.dir, 'rules'))) {
    const file = relative(project.dir, path).split(sep).join('/');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      malformed.push({ file, problem: `not valid JSON (${(error as Error).message})` });
      continue;
    }
    if (!Array.isArray(raw)) {
      malformed.push({ file, problem: 'must be a list of test events: [{"data": {...}, "description": ..., "log": ..., "trigger_rules": [...]}]' });
      continue;
    }
    raw.forEach((item, index) => {
      const checked = checkEvent(item, file, index, project.schemas);
      if (typeof checked === 'string') malformed.push({ file, index, problem: checked });
      else events.push(checked);
    });
  }
  return { events, malformed };
}

function checkEvent(item: unknown, file: string, index: number, schemas: readonly LogSchema[]): TestEvent | string {
  if (!isPlainObject(item)) return 'expected an object';
  const unknown = Object.keys(item).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) return `unknown key(s) ${unknown.map((key) => `'${key}'`).join(', ')} (known: ${[...KNOWN_KEYS].join(', ')})`;
  for (const key of REQUIRED_KEYS) {
    if (typeof item[key] !== 'string' || item[key] === '') return `missing required key '${key}' (text)`;
  }
  const log = item.log as string;
  const schema = schemas.find((candidate) => candidate.name === log);
  if (!schema) return `log '${log}' is not a log type in conf/schemas (known: ${schemas.map((s) => s.name).join(', ') || 'none'})`;
  const classifyOnly = item.classify_only === true || item.validate_schema_only === true;
  if (item.trigger_rules === undefined && !classifyOnly) return "missing required key 'trigger_rules' (the rules expected to fire, [] for none)";
  const triggerRules = item.trigger_rules ?? [];
  if (!Array.isArray(triggerRules) || triggerRules.some((name) => typeof name !== 'string')) return 'trigger_rules must be a list of rule names';

  let payload: unknown;
  if (item.data !== undefined && item.override_record !== undefined) return "give either 'data' or 'override_record', not both";
  if (item.data !== undefined) {
    payload = item.data;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch (error) {
        return `data is text that is not valid JSON (${(error as Error).message})`;
      }
    }
    if (typeof payload !== 'object' || payload === null) return 'data must be a JSON object (or a list, or JSON text)';
  } else if (item.override_record !== undefined) {
    if (!isPlainObject(item.override_record)) return 'override_record must be an object of the fields to set';
    const built = payloadFromOverride(schema, item.override_record);
    if (typeof built === 'string') return built;
    payload = built.payload;
  } else {
    return "needs 'data' (the record) or 'override_record' (fields over the schema's defaults)";
  }

  return {
    file,
    index,
    description: item.description as string,
    log,
    payload,
    triggerRules: triggerRules as string[],
    classifyOnly,
    skipPublishers: item.skip_publishers === true,
    service: typeof item.service === 'string' ? item.service : '',
    source: typeof item.source === 'string' ? item.source : '',
  };
}

/**
 * StreamAlert's override_record: the schema's default for every field, then the given fields;
 * wrapped the way the schema's json_path, embedded_json or json_regex_key expects, with
 * default envelope keys around it.
 */
function payloadFromOverride(schema: LogSchema, override: Record<string, unknown>): { payload: unknown } | string {
  const record = { ...defaults(schema.fields, true), ...override };
  let payload: unknown = record;
  if (schema.jsonPath) {
    try {
      payload = embedRecord(schema.jsonPath.expression, schema.embeddedJson ? JSON.stringify(record) : record);
    } catch (error) {
      return (error as Error).message;
    }
  } else if (schema.jsonRegexKey !== undefined) {
    payload = { [schema.jsonRegexKey]: JSON.stringify(record) };
  }
  if (schema.envelope && isPlainObject(payload)) payload = { ...defaults(schema.envelope, false), ...payload };
  return { payload };
}

/** A default value for each field; nested schemas get their nested defaults so they still fit. */
function defaults(fields: Fields, includeOptional: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of fields.byName) {
    if (field.optional && !includeOptional) continue;
    result[key] = field.type.kind === 'nested' ? defaults(field.type.fields, true) : defaultValue(field.type);
  }
  return result;
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsonFiles(path));
    else if (entry.name.endsWith('.json')) found.push(path);
  }
  return found;
}

/**
 * The report as printed by `streamalert rules test`: each event as pass or FAIL, with what was
 * expected and what happened for failures, then malformed events, untested rules and totals.
 */
export function formatRuleTestReport(report: RuleTestReport): string {
  const lines: string[] = [];
  let file = '';
  for (const outcome of report.outcomes) {
    const { event } = outcome;
    if (event.file !== file) {
      file = event.file;
      lines.push('', file);
    }
    lines.push(`  ${outcome.passed ? 'pass' : 'FAIL'}  #${event.index + 1}  ${event.description}`);
    if (outcome.passed) continue;
    const classifiedAs = outcome.classifiedAs.length > 0 ? outcome.classifiedAs.join(', ') : '(nothing)';
    lines.push(`        classified as:  ${classifiedAs} (expected ${event.log})`);
    for (const reason of outcome.unclassified) lines.push(`        not classified: ${reason}`);
    if (!event.classifyOnly) {
      lines.push(`        expected rules: ${list(outcome.expectedRules)}`);
      lines.push(`        fired rules:    ${list(outcome.firedRules)}`);
    }
    for (const error of outcome.errors) lines.push(`        error: ${error}`);
  }
  if (report.malformed.length > 0) {
    lines.push('', 'Malformed test events:');
    for (const bad of report.malformed) {
      const where = bad.index === undefined ? bad.file : `${bad.file}, event #${bad.index + 1} (index ${bad.index})`;
      lines.push(`  ${where}: ${bad.problem}`);
    }
  }
  if (report.problems.length > 0) {
    lines.push('', 'Did not load (each is a failure):');
    for (const problem of report.problems) lines.push(`  ${problem.message}`);
  }
  if (report.untested.length > 0) lines.push('', `No test event expects these rules to fire: ${report.untested.join(', ')}`);
  const malformed = report.malformed.length > 0 ? `, ${report.malformed.length} malformed` : '';
  const notLoaded = report.problems.length > 0 ? `, ${report.problems.length} did not load` : '';
  const events = `${report.outcomes.length} event${report.outcomes.length === 1 ? '' : 's'}`;
  lines.push('', `Rule tests: ${events}, ${report.passed} passed, ${report.failed} failed${malformed}${notLoaded}`);
  return lines.join('\n').replace(/^\n/, '');
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : '(none)';
}
