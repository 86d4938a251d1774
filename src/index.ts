// The public API of the `streamalert` package: what rules and custom outputs import.
export * from './outputs/index.ts';
export { createAlert, toAlertDocument, SEVERITIES, type Alert, type AlertDocument, type Severity } from './alerts/alert.ts';
export { deliver, type DeliveryReport } from './delivery/deliver.ts';
export { Secret } from './secrets/secret.ts';
export { rule, matcher, type Rule, type RuleOptions, type RuleFunction, type DynamicOutput, type LogRecord, type RuleContext, type Matcher, type MatcherOptions, type MatcherFunction } from './rules/rule.ts';
export * from './rules/helpers.ts';
export { NORMALIZATION_KEY, type Normalization, type NormalizedEntry } from './normalization/types.ts';
export type { NormalizedRecord } from './normalization/record.ts';
export { publisher, type Publisher, type PublishFunction, type PublicationDraft } from './publishers/publisher.ts';
export type { PublisherRef, PublisherSpec } from './publishers/assign.ts';
export { publish, publicationFor } from './publishers/publish.ts';
export { lookupTable, type LookupTableReader } from './lookup-tables/lookup.ts';
export { LookupTableError } from './lookup-tables/errors.ts';
export { threatIntel } from './threat-intel/api.ts';
export { IOC_KEY, type Indicator } from './threat-intel/indicator.ts';
