import type { Alert } from '../alerts/alert.ts';
import { PublisherError } from './errors.ts';

/** A document being published: what the publishers before made of it (`{}` for the first). */
export type PublicationDraft = Record<string, unknown>;

/**
 * Transforms the document one output receives. It gets its own deep copy of the previous
 * publisher's result (`{}` for the first, as in StreamAlert: start a list with `default` to
 * get the alert document), so it may change and return it, or return a new object.
 */
export type PublishFunction = (alert: Alert, publication: PublicationDraft) => PublicationDraft;

const PUBLISHER = Symbol.for('streamalert.publisher');

/** A registered publisher: rules name it, or pass the object itself. */
export interface Publisher {
  readonly [PUBLISHER]: true;
  readonly name: string;
  readonly publish: PublishFunction;
}

/** How a publisher is also known: StreamAlert's module paths, so its users' rules find it. */
export interface PublisherOptions {
  /** Other names that find this publisher, e.g. `publishers.community.generic.add_record`. */
  readonly aliases?: readonly string[];
}

const registry = new Map<string, Publisher>();
const aliases = new Map<string, Publisher>();

/**
 * Registers a publisher under a unique name (StreamAlert's `@Register`). Define it in a file
 * under `publishers/` or `rules/`; both are loaded before alerts are published.
 *
 * @example
 *   export const tag_team = publisher('tag_team', (alert, publication) => ({ ...publication, team: 'secops' }));
 *   // in a rule: publishers: { 'slack:sec-alerts': ['default', tag_team] }
 */
export function publisher(name: string, publish: PublishFunction, options: PublisherOptions = {}): Publisher {
  for (const each of [name, ...(options.aliases ?? [])]) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(each)) throw new PublisherError(`publisher name '${each}' must be letters, digits and _ . : -`);
  }
  if (typeof publish !== 'function') throw new PublisherError(`publisher '${name}' needs a function (alert, publication) => publication`);
  const existing = findPublisher(name);
  // Re-registering the very same function is harmless (a module loaded twice); another one is a clash.
  if (existing && existing.publish !== publish) throw new PublisherError(`a publisher named '${name}' is already registered; pick another name`);
  const registered = existing ?? { [PUBLISHER]: true as const, name, publish };
  for (const alias of options.aliases ?? []) {
    const holder = findPublisher(alias);
    if (holder && holder !== registered) throw new PublisherError(`publisher '${name}': the name '${alias}' is already taken by publisher '${holder.name}'`);
  }
  registry.set(name, registered);
  for (const alias of options.aliases ?? []) aliases.set(alias, registered);
  return registered;
}

/** True for a value `publisher()` returned. */
export function isPublisher(value: unknown): value is Publisher {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PUBLISHER] === true;
}

/** The publisher registered under `name` or known by it as an alias, if any. */
export function findPublisher(name: string): Publisher | undefined {
  return registry.get(name) ?? aliases.get(name);
}

/** Every registered publisher name (not the aliases), sorted. */
export function publisherNames(): string[] {
  return [...registry.keys()].sort();
}

/** The aliases of the publisher registered as `name`, sorted. */
export function publisherAliases(name: string): string[] {
  return [...aliases].filter(([, found]) => found.name === name).map(([alias]) => alias).sort();
}
