import './builtin.ts';
import { isPlainObject } from '../classifier/record.ts';
import { PublisherError } from './errors.ts';
import { findPublisher, isPublisher, publisherNames, type Publisher } from './publisher.ts';

/** A publisher, by object or by registered name. */
export type PublisherRef = Publisher | string;

/**
 * A rule's `publishers` option, StreamAlert's three forms: one publisher or a list (every
 * output), or an object keyed by `service` or `service:descriptor`.
 */
export type PublisherSpec = PublisherRef | readonly PublisherRef[] | { readonly [output: string]: PublisherRef | readonly PublisherRef[] };

/** A rule's publishers resolved to registered names. */
export type PublisherAssignment =
  | { readonly kind: 'every-output'; readonly names: readonly string[] }
  | { readonly kind: 'by-output'; readonly byKey: ReadonlyMap<string, readonly string[]> };

/**
 * Checks a `publishers` option and resolves it to names. `where` starts each error message.
 *
 * @example
 *   resolvePublishers({ slack: 'slack_summary', 'pagerduty:oncall': ['remove_internal_fields'] }, 'rule x')
 */
export function resolvePublishers(spec: unknown, where: string): PublisherAssignment {
  if (typeof spec === 'string' || isPublisher(spec)) return { kind: 'every-output', names: [resolveRef(spec, where)] };
  if (Array.isArray(spec)) return { kind: 'every-output', names: resolveList(spec, where) };
  if (!isPlainObject(spec)) throw new PublisherError(`${where}: publishers must be a publisher, a list, or an object keyed by service or service:descriptor`);
  const byKey = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(spec)) {
    if (!/^[a-z0-9][a-z0-9-]*(:[^:\s]+)?$/.test(key)) throw new PublisherError(`${where}: publishers key '${key}' must be a service (slack) or service:descriptor (slack:sec-alerts)`);
    byKey.set(key, Array.isArray(value) ? resolveList(value, `${where}: publishers.${key}`) : [resolveRef(value, `${where}: publishers.${key}`)]);
  }
  return { kind: 'by-output', byKey };
}

/**
 * The publishers that shape what `output` (`service:descriptor`) receives, in order: for an
 * object spec, the `service` entry's, then the `service:descriptor` entry's (as StreamAlert).
 */
export function publishersFor(assignment: PublisherAssignment, output: string): string[] {
  if (assignment.kind === 'every-output') return [...assignment.names];
  const service = output.slice(0, output.indexOf(':'));
  return [...(assignment.byKey.get(service) ?? []), ...(assignment.byKey.get(output) ?? [])];
}

function resolveList(list: readonly unknown[], where: string): string[] {
  return list.map((item, index) => resolveRef(item, `${where}[${index}]`));
}

/** The registered name of a publisher or of a name for it (a StreamAlert module path resolves to ours). */
function resolveRef(ref: unknown, where: string): string {
  const name = isPublisher(ref) ? ref.name : ref;
  if (typeof name !== 'string') throw new PublisherError(`${where}: expected a publisher or a publisher name, got ${JSON.stringify(ref) ?? String(ref)}`);
  const found = findPublisher(name);
  if (!found) throw new PublisherError(`${where}: no publisher named '${name}' (registered: ${publisherNames().join(', ')}); register it with publisher('${name}', fn)`);
  return found.name;
}
