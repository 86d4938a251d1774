import type { Alert } from '../alerts/alert.ts';
import { Classifier } from '../classifier/classifier.ts';
import { cloneJson } from '../classifier/record.ts';
import type { LoadProblem } from '../config/load-problem.ts';
import { nearest } from '../config/nearest.ts';
import { configuredOutputs } from '../config/project.ts';
import { describeEvent } from '../pipeline/events.ts';
import { publicationFor } from '../publishers/publish.ts';
import { RulesEngine } from './engine.ts';
import type { LoadedRule, RuleProject } from './loader.ts';
import { withTestFixtures } from './test-events/fixtures.ts';
import { checkPublisherTest } from './test-events/publisher-tests.ts';
import { loadTestEvents, type MalformedTest, type TestEvent } from './test-events/read.ts';

export { loadTestEvents, type MalformedTest, type TestEvent };

export interface TestOutcome {
  readonly event: TestEvent;
  readonly passed: boolean;
  /** The log types its records were classified as. */
  readonly classifiedAs: readonly string[];
  readonly unclassified: readonly string[];
  /** trigger_rules less the disabled rules. */
  readonly expectedRules: readonly string[];
  readonly firedRules: readonly string[];
  /** Rules of trigger_rules that are disabled: dropped from the expectation, as StreamAlert does. */
  readonly skippedRules: readonly string[];
  /** publisher_tests run on the alerts, and how many held. */
  readonly publisherTests: { readonly run: number; readonly passed: number };
  /** Rules that threw, dynamic outputs that misbehaved, publishers that failed, publisher tests that did not hold. */
  readonly errors: readonly string[];
}

export interface RuleTestReport {
  readonly outcomes: readonly TestOutcome[];
  readonly malformed: readonly MalformedTest[];
  /** Unknown keys in test events (ignored, as StreamAlert does), each naming the file and the event. */
  readonly warnings: readonly string[];
  /** Rules no test event expects to fire (only when not filtered by rule); disabled rules are not listed. */
  readonly untested: readonly string[];
  /** What did not load: each is a failure, as a rule that never runs cannot pass its tests. */
  readonly problems: readonly LoadProblem[];
  readonly passed: number;
  readonly failed: number;
}

/**
 * A disabled rule (StreamAlert's `@disable`): it never runs, and test events do not expect it.
 * Read from the loaded rule's `disabled`, or its declared `options.disabled`.
 */
export function isDisabledRule(rule: LoadedRule): boolean {
  const flags = rule as { readonly disabled?: unknown; readonly options?: { readonly disabled?: unknown } };
  return flags.disabled === true || flags.options?.disabled === true;
}

/**
 * Runs the test events next to the rules (rules/**\/*.json, StreamAlert's format, read by
 * loadTestEvents): each event's data is classified among the schemas of its log's source, must
 * classify as `log`, and, unless classify-only, must fire exactly `trigger_rules` less the
 * disabled rules (all enabled rules run on it, with the event's test_fixtures active). Alerts go
 * through their outputs' publishers, and `publisher_tests` are checked on what they produce.
 * With `rule`, only the events expecting it to fire and those of its test files run (`eventsOf`).
 * An event expecting a rule that does not exist fails saying so, with the nearest rule name.
 * `problems` (from loading) join the report; an event expecting a rule that did not load fails
 * saying so.
 *
 * @example
 *   const report = runRuleTests({ dir, schemas, outputs }, rules, { rule: 'duo_fraud', problems });
 *   report.failed + report.malformed.length + report.problems.length === 0
 */
export function runRuleTests(project: RuleProject, rules: readonly LoadedRule[], options: { rule?: string; problems?: readonly LoadProblem[] } = {}): RuleTestReport {
  const { events, malformed, warnings } = loadTestEvents(project);
  const allProblems = options.problems ?? [];
  const selected = options.rule === undefined ? events : events.filter(eventsOf(options.rule, rules, allProblems));
  // With a rule, its own problems and those of files that did not load (it may be in one).
  const problems = allProblems.filter((problem) => options.rule === undefined || problem.name === undefined || problem.name === options.rule);
  const loaded = new Set(rules.map((rule) => rule.name));
  const unloaded = new Set(problems.flatMap((problem) => (problem.kind === 'rule' && problem.name !== undefined && !loaded.has(problem.name) ? [problem.name] : [])));
  const disabled = new Set(rules.filter(isDisabledRule).map((rule) => rule.name));
  const ruleNames = new Set([...rules.map((rule) => rule.name), ...allProblems.flatMap((problem) => (problem.kind === 'rule' && problem.name !== undefined ? [problem.name] : []))]);
  const unknownRule = unknownRuleMessage(ruleNames, allProblems);

  const run = eventRunner(rules.filter((rule) => !disabled.has(rule.name)), configuredOutputs(project.outputs).map(({ service, descriptor }) => `${service}:${descriptor}`));
  const classifiers = new Map<string, Classifier>();
  const outcomes = selected.map((event) => {
    const errors: string[] = [];
    const source = project.schemas.find((schema) => schema.name === event.log)!.source;
    const classifier = classifiers.get(source) ?? new Classifier(project.schemas, source);
    classifiers.set(source, classifier);
    if (!event.classifyOnly) {
      for (const name of event.triggerRules) {
        if (unloaded.has(name)) errors.push(`rule ${name} did not load (see 'Did not load' below)`);
        else if (!ruleNames.has(name)) errors.push(unknownRule(name));
      }
    }
    return run(event, classifier, disabled, errors);
  });

  const expected = new Set(events.flatMap((event) => event.triggerRules));
  const untested = options.rule === undefined ? rules.map((rule) => rule.name).filter((name) => !expected.has(name) && !disabled.has(name)) : [];
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  return { outcomes, malformed, warnings, untested, problems, passed, failed: outcomes.length - passed };
}

/**
 * Which events `rules test --rule NAME` runs: those expecting the rule to fire, and every event
 * of its test files (named after the rule, or beside the file that defines it), so that the
 * events expecting it not to fire run too.
 */
function eventsOf(rule: string, rules: readonly LoadedRule[], problems: readonly LoadProblem[]): (event: TestEvent) => boolean {
  const ruleFiles = [...rules.filter((loaded) => loaded.name === rule), ...problems.filter((problem) => problem.kind === 'rule' && problem.name === rule)].map((found) => found.file);
  const testFiles = new Set(ruleFiles.map((file) => file.replace(/\.[mc]?[jt]s$/, '.json')));
  return (event) => event.triggerRules.includes(rule) || baseName(event.file) === rule || testFiles.has(event.file);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.json$/, '');
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

type EventRun = (event: TestEvent, classifier: Classifier, disabled: ReadonlySet<string>, errors: string[]) => TestOutcome;

/**
 * Runs events on the enabled rules. Each event's alerts carry its service and source (their
 * source_service and source_entity, which publishers may show), so there is an engine per pair.
 */
function eventRunner(rules: readonly LoadedRule[], outputs: readonly string[]): EventRun {
  const configured = new Set(outputs);
  const engines = new Map<string, RulesEngine>();
  let errors: string[] = [];
  const engineFor = (event: TestEvent) => {
    const key = JSON.stringify([event.service, event.source]);
    const engine = engines.get(key) ?? new RulesEngine(rules, { configuredOutputs: configured, source: { service: event.service, entity: event.source }, onEvent: (happened) => errors.push(describeEvent(happened)) });
    engines.set(key, engine);
    return engine;
  };
  return (event, classifier, disabled, eventErrors) => {
    errors = eventErrors;
    const { classified, unclassified } = classifier.classify(cloneJson(event.payload));
    const of = classified.length + unclassified.length;
    const alerts: Alert[] = [];
    if (!event.classifyOnly) {
      const engine = engineFor(event);
      withTestFixtures(event.fixtures, () => {
        for (const record of classified) alerts.push(...engine.evaluate(record, { ordinal: event.index + 1, index: record.index, of }));
      });
    }
    const publisherTests = event.skipPublishers ? { run: 0, passed: 0 } : publishAndCheck(event, alerts, errors);
    const classifiedAs = [...new Set(classified.map((record) => record.schema.name))];
    const firedRules = [...new Set(alerts.map((alert) => alert.ruleName))].sort();
    const expectedRules = [...new Set(event.triggerRules.filter((name) => !disabled.has(name)))].sort();
    const skippedRules = [...new Set(event.triggerRules.filter((name) => disabled.has(name)))].sort();
    const classifiedRight = classified.length > 0 && unclassified.length === 0 && classifiedAs.every((name) => name === event.log);
    const rulesRight = event.classifyOnly || (firedRules.length === expectedRules.length && firedRules.every((name, i) => name === expectedRules[i]));
    return {
      event,
      passed: classifiedRight && rulesRight && errors.length === 0,
      classifiedAs,
      unclassified: unclassified.map((miss) => miss.reason),
      expectedRules: event.classifyOnly ? [] : expectedRules,
      firedRules,
      skippedRules: event.classifyOnly ? [] : skippedRules,
      publisherTests,
      errors: [...errors],
    };
  };
}

/**
 * Publishes each alert to each of its outputs (a publisher that fails is an error), then checks
 * the event's publisher_tests of each output on the publication of every alert that goes to it.
 * An output no alert goes to fails its tests, as StreamAlert's "No such output" does.
 */
function publishAndCheck(event: TestEvent, alerts: readonly Alert[], errors: string[]): { run: number; passed: number } {
  const publications = new Map<Alert, Map<string, Record<string, unknown>>>();
  for (const alert of alerts) {
    const byOutput = new Map<string, Record<string, unknown>>();
    for (const output of alert.outputs) {
      try {
        byOutput.set(output, publicationFor(alert, output));
      } catch (error) {
        errors.push(`publishers of rule ${alert.ruleName} for ${output} failed: ${(error as Error).message}`);
      }
    }
    publications.set(alert, byOutput);
  }
  // StreamAlert runs publisher tests only when an alert fired.
  if (alerts.length === 0) return { run: 0, passed: 0 };
  let run = 0;
  let passed = 0;
  for (const test of event.publisherTests) {
    const receiving = alerts.filter((alert) => alert.outputs.includes(test.output));
    if (receiving.length === 0) {
      run++;
      const sent = [...new Set(alerts.flatMap((alert) => alert.outputs))].join(', ') || 'none';
      errors.push(`publisher test for ${test.output}: no alert of this event goes to ${test.output} (its alerts go to: ${sent})`);
      continue;
    }
    for (const alert of receiving) {
      const publication = publications.get(alert)!.get(test.output);
      if (publication === undefined) continue; // its publishers failed: reported above
      run++;
      const failure = checkPublisherTest(test, publication);
      if (failure === undefined) passed++;
      else errors.push(`publisher test for ${test.output} (rule ${alert.ruleName}): ${failure}`);
    }
  }
  return { run, passed };
}

/**
 * The report as printed by `streamalert rules test`: each event as pass or FAIL (with the
 * disabled rules it no longer expects), what was expected and what happened for failures, then
 * malformed events, untested rules and totals. Warnings are not in it: the CLI prints them to stderr.
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
    // Shown on a pass too: a disabled rule's test is skipped, not passed.
    if (outcome.skippedRules.length > 0) lines.push(`        skipped (disabled): ${outcome.skippedRules.join(', ')}`);
    if (outcome.passed) continue;
    const classifiedAs = outcome.classifiedAs.length > 0 ? outcome.classifiedAs.join(', ') : '(nothing)';
    lines.push(`        classified as:  ${classifiedAs} (expected ${event.log})`);
    for (const reason of outcome.unclassified) lines.push(`        not classified: ${reason}`);
    if (!event.classifyOnly) {
      lines.push(`        expected rules: ${list(outcome.expectedRules)}`);
      lines.push(`        fired rules:    ${list(outcome.firedRules)}`);
    }
    const { run, passed } = outcome.publisherTests;
    if (run > 0) lines.push(`        publisher tests: ${passed}/${run} passed`);
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
  const skipped = new Set(report.outcomes.flatMap((outcome) => outcome.skippedRules)).size;
  const disabled = skipped > 0 ? `, ${skipped} disabled rule${skipped === 1 ? '' : 's'} skipped` : '';
  const events = `${report.outcomes.length} event${report.outcomes.length === 1 ? '' : 's'}`;
  lines.push('', `Rule tests: ${events}, ${report.passed} passed, ${report.failed} failed${malformed}${notLoaded}${disabled}`);
  return lines.join('\n').replace(/^\n/, '');
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : '(none)';
}
