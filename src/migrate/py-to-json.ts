import type { PyValue } from './python-values.ts';

/** Why a decorator argument has no JSON form: a name or code in it, which only running the Python would resolve. */
export class NotJsonError extends Error {
  override readonly name = 'NotJsonError';
}

/**
 * A Python literal as JSON: lists and tuples as arrays, dicts with text (or number) keys as
 * objects, None as null. A name or code anywhere in it is a NotJsonError naming it.
 *
 * @example
 *   toJson({ kind: 'dict', entries: [[{ kind: 'str', value: 'detail' }, { kind: 'list', items: [] }]] })  // { detail: [] }
 */
export function toJson(value: PyValue): unknown {
  switch (value.kind) {
    case 'str':
    case 'num':
    case 'const':
      return value.value;
    case 'list':
      return value.items.map(toJson);
    case 'dict': {
      const object: Record<string, unknown> = {};
      for (const [key, item] of value.entries) {
        if (key.kind !== 'str' && key.kind !== 'num') throw new NotJsonError(`a key that is not text (${pySource(key)})`);
        Object.defineProperty(object, String(key.value), { value: toJson(item), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    case 'name':
      throw new NotJsonError(`the name ${value.path}`);
    case 'code':
      throw new NotJsonError(`the expression ${value.text}`);
  }
}

/** A list of text values, or a NotJsonError saying what else is there. */
export function toStringList(value: PyValue): string[] {
  const json = toJson(value);
  if (!Array.isArray(json) || json.some((item) => typeof item !== 'string')) throw new NotJsonError(`not a list of text values: ${pySource(value)}`);
  return json as string[];
}

/** A value as Python source, shortened: for messages. */
export function pySource(value: PyValue): string {
  const text = sourceOf(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function sourceOf(value: PyValue): string {
  switch (value.kind) {
    case 'str':
      // As Python's repr writes it, so the message shows what the rule file says.
      return `'${value.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'num':
      return String(value.value);
    case 'const':
      return value.value === null ? 'None' : value.value ? 'True' : 'False';
    case 'list':
      return `[${value.items.map(sourceOf).join(', ')}]`;
    case 'dict':
      return `{${value.entries.map(([key, item]) => `${sourceOf(key)}: ${sourceOf(item)}`).join(', ')}}`;
    case 'name':
      return value.path;
    case 'code':
      return value.text.replace(/\s+/g, ' ');
  }
}
