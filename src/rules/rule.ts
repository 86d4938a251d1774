import type { Severity } from '../alerts/alert.ts';
import type { NormalizedRecord } from '../normalization/record.ts';
import type { PublisherSpec } from '../publishers/assign.ts';

/**
 * A classified record as rules see it. Its fields are whatever the log's schema declares, so it
 * is loosely typed by default; give the rule function a typed parameter for stricter checks.
 */
// `any`, not `unknown`: rules read nested fields freely, as StreamAlert's Python rules do.
export type LogRecord = { [field: string]: any };

/** A rule's `context`: a JSON object each run gets a fresh copy of, and the alert carries. */
export type RuleContext = { [key: string]: unknown };

/** The rule's logic: true raises an alert. It must be synchronous and should not throw. */
export type RuleFunction<R = LogRecord, C = RuleContext> = (record: R, context: C) => boolean;

/** Returns more outputs for a record that fired the rule: none (null/undefined), one, or a list. */
export type DynamicOutput<R = LogRecord, C = RuleContext> = (record: R, context: C) => string | readonly string[] | null | undefined;

export interface RuleOptions<R = LogRecord, C = RuleContext> {
  /**
   * Log types (schema names in conf/schemas) the rule runs on, e.g. `['cloudtrail:events']`.
   * Required unless `datatypes` is given: then, by default, every log type normalizing one of them.
   */
  readonly logs?: readonly string[];
  /**
   * Normalized types (StreamAlert's `datatypes`): the rule only runs on records holding a value
   * for at least one of them, e.g. `['sourceAddress']`. See docs/rules.md#normalization.
   */
  readonly datatypes?: readonly string[];
  /**
   * Matchers (StreamAlert's `matchers`): the names of `matcher()`s, or the matchers themselves;
   * the rule only runs on records every one of them matches.
   */
  // `any`: a matcher declared for a typed record shape fits any rule.
  readonly matchers?: readonly (string | Matcher<any>)[];
  /** StreamAlert's `@disable`: the rule loads and is checked and listed, but never runs. */
  readonly disabled?: boolean;
  /**
   * Staged (StreamAlert 3): its alerts carry `staged: true` and go only to conf/global.json
   * `staging.outputs` (none by default: stored, not sent) until `streamalert rules promote NAME`.
   */
  readonly staged?: boolean;
  /** `service:descriptor` outputs, each configured in conf/outputs.json. */
  readonly outputs?: readonly string[];
  /** Functions of the record (and context) returning more outputs, checked when they run. */
  readonly dynamicOutputs?: readonly DynamicOutput<R, C>[];
  /**
   * Per-output transforms of the alert document: one publisher, a list for every output, or
   * an object keyed by `service` or `service:descriptor` (the `service` entry runs first).
   */
  readonly publishers?: PublisherSpec;
  /** Extra data for the rule, its dynamic outputs and publishers; travels with the alert. */
  readonly context?: C;
  /** Only run when `record[key]` is an object holding each listed subkey. */
  readonly reqSubkeys?: { readonly [key: string]: readonly string[] };
  readonly description?: string;
  /** Default `critical`. */
  readonly severity?: Severity;
  /**
   * StreamAlert's alert merging: alerts with equal values for these keys (found at any depth of
   * the record; a missing key counts as null) within `mergeWindowMins` of the first become one
   * alert, sent when the window ends, carrying the count, the first and last times, the values
   * they share and the ones that differ. Both are needed. See docs/rules.md#merging-alerts.
   */
  readonly mergeByKeys?: readonly string[];
  /** The merge window in minutes, from the first alert; fractions are honoured (0.5 = 30 s). */
  readonly mergeWindowMins?: number;
  /** Also send the window's first alert at once, on its own: StreamAlert users asked for it. */
  readonly mergeSendFirst?: boolean;
  /**
   * Panther's dedup: the key of the record's alert (default: the rule's name). Alerts of one key
   * within `dedupPeriodMins` of the first are one dedup window: one is sent, the others are
   * stored, counted onto it, and its outputs get one update at the window's end saying how many
   * more came. Setting any of dedup, dedupPeriodMins or threshold turns dedup on. See docs/noise.md.
   */
  readonly dedup?: (record: R) => string;
  /** The dedup window in minutes, from its first alert (default 60, Panther's); fractions are honoured. */
  readonly dedupPeriodMins?: number;
  /** Send only the alert that brings a window's count to this many (default 1); the ones before stay stored, below threshold. */
  readonly threshold?: number;
  /**
   * Rules this one holds back: while it has fired for a dedup key (within `inhibitWindowMins`),
   * their alerts for the same key are stored, not sent. Without `dedup`, for every key.
   */
  readonly inhibits?: readonly string[];
  /** How long an alert of this rule inhibits, in minutes (default: dedupPeriodMins, else 60). */
  readonly inhibitWindowMins?: number;
}

const RULE = Symbol.for('streamalert.rule');

/** A rule as `rule()` returns it. Its name is the name it is exported under. */
export interface Rule<R = LogRecord, C = RuleContext> {
  readonly [RULE]: true;
  readonly options: RuleOptions<R, C>;
  readonly fn: RuleFunction<R, C>;
}

/** Every rule created in this process, so the loader can tell one that was never exported. */
const created: Rule<never, never>[] = [];

/**
 * Declares a rule (StreamAlert's `@rule` decorator). Export it: the export name is the rule's name.
 * Options are checked against the project (schemas, outputs.json) when the rules load. The record
 * the function gets also offers `record.normalized('sourceAddress')` (see NormalizedRecord).
 *
 * @example
 *   import { rule } from 'streamalert';
 *
 *   export const duo_fraud = rule(
 *     { logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], description: 'Duo marked a login as fraud' },
 *     (rec) => rec.result === 'FRAUD',
 *   );
 */
export function rule<R extends object = LogRecord, C extends RuleContext = RuleContext>(options: RuleOptions<R, C>, fn: RuleFunction<R & NormalizedRecord, C>): Rule<R, C> {
  // The engine gives every record its normalized(): see attachNormalization.
  const declared: Rule<R, C> = { [RULE]: true, options, fn: fn as RuleFunction<R, C> };
  created.push(declared as unknown as Rule<never, never>);
  return declared;
}

/** True for a value `rule()` returned (in this or another copy of the package). */
export function isRule(value: unknown): value is Rule<never, never> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RULE] === true;
}

/** How many rules were created so far; with `rulesCreatedSince`, finds rules created by one load. */
export function ruleCount(): number {
  return created.length;
}

export function rulesCreatedSince(count: number): readonly Rule<never, never>[] {
  return created.slice(count);
}

const MATCHER = Symbol.for('streamalert.matcher');

/** A matcher's logic: true when the record is one the rules naming the matcher should see. */
export type MatcherFunction<R = LogRecord> = (record: R) => boolean;

export interface MatcherOptions {
  /** Log types it applies to; absent: any. On a record of another log type it does not match. */
  readonly logs?: readonly string[];
  readonly description?: string;
}

/** A named, reusable predicate, as `matcher()` returns it. */
export interface Matcher<R = LogRecord> {
  readonly [MATCHER]: true;
  readonly name: string;
  readonly options: MatcherOptions;
  readonly fn: MatcherFunction<R>;
}

const matchersCreated: Matcher<never>[] = [];

/**
 * Declares a matcher (StreamAlert's matchers/ functions): a predicate declared once, under a
 * project-unique name, that rules list in `matchers`. A rule runs only on the records all its
 * matchers match. Declare matchers in files under matchers/ (or rules/); exporting them is
 * optional, rules may name them or import them.
 *
 * @example
 *   // matchers/osquery.ts
 *   export const added = matcher('osquery_added', { logs: ['osquery:differential'] }, (rec) => rec.action === 'added');
 *   // rules/osquery/ssh_login.ts
 *   export const ssh_login = rule({ logs: ['osquery:differential'], matchers: ['osquery_added'], outputs: ['slack:sec'] }, () => true);
 */
export function matcher<R extends object = LogRecord>(name: string, options: MatcherOptions, fn: MatcherFunction<R & NormalizedRecord>): Matcher<R> {
  const declared: Matcher<R> = { [MATCHER]: true, name, options, fn: fn as MatcherFunction<R> };
  matchersCreated.push(declared as unknown as Matcher<never>);
  return declared;
}

/** True for a value `matcher()` returned (in this or another copy of the package). */
export function isMatcher(value: unknown): value is Matcher<never> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MATCHER] === true;
}

/** How many matchers were created so far; with `matchersCreatedSince`, finds the matchers one load created. */
export function matcherCount(): number {
  return matchersCreated.length;
}

export function matchersCreatedSince(count: number): readonly Matcher<never>[] {
  return matchersCreated.slice(count);
}
