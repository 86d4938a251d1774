/**
 * Normalization (StreamAlert's data normalization): named types such as `sourceAddress` whose
 * values are taken from wherever each log type keeps them, so one rule can look at every source
 * address whatever the log. Declared in two formats, both read:
 * - v2, per log type: `configuration.normalization` of an entry in conf/schemas/*.json;
 * - v1, per log source: conf/normalized_types.json (deprecated by StreamAlert 3.3, still read).
 */

/** A v2 condition: the normalizer runs only when the value at `path`, as lower-case text, passes. */
export interface NormalizationCondition {
  readonly path: readonly string[];
  readonly operator: ConditionOperator;
  /** Text for is/is_not/contains/not_contains; a list (or text, as a substring) for in/not_in. */
  readonly operand: string | readonly string[];
}

export const CONDITION_OPERATORS = ['is', 'is_not', 'in', 'not_in', 'contains', 'not_contains'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Where one normalized type's values come from. */
export type Extractor =
  /** v2: the value at a path of keys. */
  | {
      readonly kind: 'path';
      readonly path: readonly string[];
      readonly function: string | null;
      readonly condition?: NormalizationCondition;
      readonly sendToArtifacts: boolean;
    }
  /** v1: every value under one of these key names, at any depth of nested objects. */
  | { readonly kind: 'keys'; readonly keys: ReadonlySet<string> };

export interface NormalizedTypeSpec {
  readonly name: string;
  readonly extractors: readonly Extractor[];
}

/** What one log type normalizes, from both formats. */
export interface LogNormalization {
  readonly types: readonly NormalizedTypeSpec[];
}

/** One extraction's result, as StreamAlert 3.3 writes it in the record's normalization. */
export interface NormalizedEntry {
  readonly values: readonly unknown[];
  /** The normalizer's `function` (what it extracts, in words); null for v1 and for v2 entries without one. */
  readonly function: string | null;
  /** Only present, false, when the schema says `"send_to_artifacts": false`. */
  readonly send_to_artifacts?: false;
}

/** A record's normalization: per normalized type that has values, where they came from. */
export type Normalization = { readonly [type: string]: readonly NormalizedEntry[] };

/** The record key StreamAlert keeps the normalization under. */
export const NORMALIZATION_KEY = 'streamalert_normalization';
