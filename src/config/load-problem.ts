/**
 * A part of a project that could not be used: a rule file, a rule, a schema file, a log type.
 * It takes out of service only what it names, so one mistake never costs the other rules their
 * alerts; `--strict` refuses to start on any.
 */
export interface LoadProblem {
  /** What it takes out of service: rules (one, or every rule of a file), log types, a lookup table or threat intel. */
  readonly kind: 'rule' | 'log-type' | 'lookup-table' | 'threat-intel';
  /** The file it is in, relative to the project. */
  readonly file: string;
  /** The rule or log type it disables, when it has a name. */
  readonly name?: string;
  /** What is wrong and the fix, naming the file and the rule or log type. */
  readonly message: string;
  /** What is disabled until it is fixed, in words: `rule page_me`, `everything in rules/broken.ts`. */
  readonly disables: string;
}
