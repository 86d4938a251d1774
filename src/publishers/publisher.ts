import type { Alert } from '../alerts/alert.ts';
import { PublisherError } from './errors.ts';

/** A document being published: the alert document, as changed by the publishers before. */
export type PublicationDraft = Record<string, unknown>;

/**
 * Transforms the document one output receives. It gets its own deep copy of the previous
 * publisher's result, so it may change and return it, or return a new object.
 */
export type PublishFunction = (alert: Alert, publication: PublicationDraft) => PublicationDraft;

const PUBLISHER = Symbol.for('streamalert.publisher');

/** A registered publisher: rules name it, or pass the object itself. */
export interface Publisher {
  readonly [PUBLISHER]: true;
  readonly name: string;
  readonly publish: PublishFunction;
}

const registry = new Map<string, Publisher>();

/**
 * Registers a publisher under a unique name (StreamAlert's `@Register`). Define it in a file
 * under `publishers/` or `rules/`; both are loaded before alerts are published.
 *
 * @example
 *   export const tag_team = publisher('tag_team', (alert, publication) => ({ ...publication, team: 'secops' }));
 *   // in a rule: publishers: { 'slack:sec-alerts': [tag_team, 'slack_summary'] }
 */
export function publisher(name: string, publish: PublishFunction): Publisher {
  if (!/^[A-Za-z0-9_.:-]+$/.test(name)) throw new PublisherError(`publisher name '${name}' must be letters, digits and _ . : -`);
  if (typeof publish !== 'function') throw new PublisherError(`publisher '${name}' needs a function (alert, publication) => publication`);
  const existing = registry.get(name);
  // Re-registering the very same function is harmless (a module loaded twice); another one is a clash.
  if (existing && existing.publish !== publish) throw new PublisherError(`a publisher named '${name}' is already registered; pick another name`);
  const registered = existing ?? { [PUBLISHER]: true as const, name, publish };
  registry.set(name, registered);
  return registered;
}

/** True for a value `publisher()` returned. */
export function isPublisher(value: unknown): value is Publisher {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PUBLISHER] === true;
}

/** The publisher registered under `name`, if any. */
export function findPublisher(name: string): Publisher | undefined {
  return registry.get(name);
}

/** Every registered publisher name, sorted. */
export function publisherNames(): string[] {
  return [...registry.keys()].sort();
}
