import type { Fields, KvOptions } from '../schema.ts';

/**
 * A key/value line as StreamAlert's kv parser reads it: split on the delimiter (empty pieces
 * dropped), as many pieces as the schema has keys, each piece's key before the first separator.
 * A piece without the separator is skipped (StreamAlert logs it and goes on); a key seen twice
 * takes the schema's key at that position. Returns the record, or why there is none.
 *
 * @example
 *   readKv('name:joe bob,result:success', { delimiter: ',', separator: ':' }, fields)  // { name: 'joe bob', result: 'success' }
 */
export function readKv(text: string, options: KvOptions, fields: Fields): Record<string, string> | string {
  const pieces = text.split(options.delimiter).filter((piece) => piece !== '');
  const expected = fields.byName.size;
  if (pieces.length !== expected) {
    return `${pieces.length} field${pieces.length === 1 ? '' : 's'} separated by ${JSON.stringify(options.delimiter)}, expected ${expected} (one per schema key)`;
  }
  const keys = [...fields.byName.keys()];
  const record: Record<string, string> = {};
  pieces.forEach((piece, index) => {
    const at = piece.indexOf(options.separator);
    if (at === -1) return;
    const key = piece.slice(0, at);
    record[Object.hasOwn(record, key) ? keys[index]! : key] = piece.slice(at + options.separator.length);
  });
  return Object.keys(record).length > 0 ? record : `no field holds the separator ${JSON.stringify(options.separator)}`;
}
