// StreamAlert's generic publishers (publishers/community/generic.py and the DefaultPublisher of
// streamalert/shared/publisher.py), under their own names and StreamAlert's module paths.
import { toAlertDocument } from '../alerts/alert.ts';
import { isPlainObject } from '../classifier/record.ts';
import { contextList } from './context.ts';
import { publisher, type PublicationDraft } from './publisher.ts';
import { pythonStr } from '../python/str.ts';
import { pythonRegExp } from './python.ts';
import { deleteKeysMatching, getKeys, NORMALIZATION_KEYS, stringifyScalarArrays } from './tree.ts';

const GENERIC = 'publishers.community.generic';

/**
 * The alert document, whatever came before: what an output gets when a rule names no
 * publishers, and the usual first publisher of a list (`['default', 'remove_internal_fields']`).
 */
export const defaultPublisher = publisher('default', (alert) => toAlertDocument(alert), {
  aliases: ['streamalert.shared.publisher.DefaultPublisher'],
});

/** Adds the alert's record as `record`. */
export const addRecord = publisher(
  'add_record',
  (alert, publication) => {
    publication.record = alert.record;
    return publication;
  },
  { aliases: [`${GENERIC}.add_record`] },
);

/** Drops everything: the next publisher starts from `{}`. */
export const blank = publisher('blank', () => ({}), { aliases: [`${GENERIC}.blank`] });

/** Drops the alert document's fields only StreamAlert itself needs: `staged`, `publishers`, `outputs`. */
export const removeInternalFields = publisher(
  'remove_internal_fields',
  (_alert, publication) => {
    delete publication.staged;
    delete publication.publishers;
    delete publication.outputs;
    return publication;
  },
  { aliases: [`${GENERIC}.remove_internal_fields`] },
);

/**
 * Deletes, at any depth, every key a regular expression in the rule's `context.remove_fields`
 * finds (a search: `'Token'` finds `sessionToken`), e.g. `{ remove_fields: ['^sessionContext$'] }`.
 * Python's `(?P<name>...)` is accepted.
 */
export const removeFields = publisher(
  'remove_fields',
  (alert, publication) => {
    const patterns = contextList(alert, 'remove_fields').map((source) => {
      try {
        return pythonRegExp(source);
      } catch (error) {
        throw new Error(`remove_fields: context.remove_fields has an invalid regular expression '${source}' (${(error as Error).message})`);
      }
    });
    return deleteKeysMatching(publication, patterns);
  },
  { aliases: [`${GENERIC}.remove_fields`] },
);

/** Deletes the normalizer's fields (`streamalert_normalization`), which are large and only for rules. */
export const removeStreamalertNormalization = publisher(
  'remove_streamalert_normalization',
  (_alert, publication) => deleteKeysMatching(publication, NORMALIZATION_KEYS.map((key) => new RegExp(key))),
  { aliases: [`${GENERIC}.remove_streamalert_normalization`] },
);

/**
 * Flattens the publication to one level of dotted keys (`record.userIdentity.type`,
 * `record.resources[0].ARN`), sorted: some outputs' UIs render nesting badly. Empty objects and
 * lists have no values, so leave no key (as in StreamAlert).
 */
export const enumerateFields = publisher(
  'enumerate_fields',
  (_alert, publication) => {
    const flat: Array<[string, unknown]> = [];
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
      else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
      else flat.push([path, value]);
    };
    walk(publication, '');
    return Object.fromEntries(flat.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  },
  { aliases: [`${GENERIC}.enumerate_fields`] },
);

/**
 * Keeps only the fields named in the rule's `context.populate_fields`, each moved to the top as
 * the list of every value found under that key at any depth (`{ userName: ['alice'] }`); a
 * field found nowhere is `[]`. Follow it with `stringify_arrays` to turn the lists into text.
 */
export const populateFields = publisher(
  'populate_fields',
  (alert, publication) => Object.fromEntries(contextList(alert, 'populate_fields').map((field) => [field, getKeys(publication, field)])),
  { aliases: [`${GENERIC}.populate_fields`] },
);

/**
 * A publisher that turns, at any depth, every list of scalars into the items' text joined by
 * `delimiter` (StreamAlert's StringifyArrays and its subclasses). Items are written as Python
 * writes them (`True`, `None`), as StreamAlert's test events expect.
 *
 * @example
 *   export const comma_arrays = stringifyArraysPublisher('comma_arrays', ', ');
 */
export function stringifyArraysPublisher(name: string, delimiter: string, aliases: readonly string[] = []) {
  return publisher(name, (_alert, publication: PublicationDraft) => stringifyScalarArrays(publication, delimiter, pythonStr), { aliases });
}

/** Lists of scalars become their items, one a line. */
export const stringifyArrays = stringifyArraysPublisher('stringify_arrays', '\n', [`${GENERIC}.StringifyArrays`]);
