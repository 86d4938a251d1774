import { describe, expect, it } from 'vitest';
import { describeError, describeValue } from '../../src/observability/describe-error.ts';

/** Throws on every operation a formatter might try: reading, listing, converting, inspecting its prototype. */
const hostile = new Proxy(
  {},
  {
    get: () => {
      throw new Error('get');
    },
    getPrototypeOf: () => {
      throw new Error('getPrototypeOf');
    },
    ownKeys: () => {
      throw new Error('ownKeys');
    },
  },
);

describe('describing anything code can throw', () => {
  it.each([
    ['an Error', new TypeError('x is null'), 'TypeError: x is null'],
    ['an Error with a multi-line message', new Error('line one\n   line two'), 'Error: line one line two'],
    ['an object with no prototype', Object.create(null), '[Object: null prototype] {} (an object with no prototype) was thrown, not an Error'],
    ['undefined', undefined, 'undefined was thrown, not an Error'],
    ['null', null, 'null was thrown, not an Error'],
    ['a number', 42, '42 (a number) was thrown, not an Error'],
    ['a string', 'boom', "'boom' (a string) was thrown, not an Error"],
    ['a symbol', Symbol('s'), 'Symbol(s) (a symbol) was thrown, not an Error'],
    ['a bigint', 10n, '10n (a bigint) was thrown, not an Error'],
    ['a Proxy that throws on every operation', hostile, '{} (a Proxy) was thrown, not an Error'],
    ['an object whose toString throws', { toString: () => { throw new Error('no'); } }, '{ toString: [Function: toString] } (an object) was thrown, not an Error'],
  ])('%s', (_, thrown, expected) => {
    expect(describeError(thrown)).toBe(expected);
  });

  it('an Error whose name and message are getters that throw', () => {
    const error = new Error('hidden');
    Object.defineProperty(error, 'message', { get: () => { throw new Error('no'); } });
    Object.defineProperty(error, 'name', { get: () => { throw Object.create(null); } });
    expect(describeError(error)).toBe('(its name cannot be read): (its message cannot be read)');
  });

  it('never runs the value’s own inspection code', () => {
    let ran = false;
    const custom = { [Symbol.for('nodejs.util.inspect.custom')]: () => { ran = true; return 'custom'; } };
    expect(describeError(custom)).toMatch(/\(an object\) was thrown, not an Error$/);
    expect(ran).toBe(false);
  });

  it('keeps a huge message to one short line', () => {
    const described = describeError(new Error('x'.repeat(1_000_000)));
    expect(described.length).toBe(1_000);
    expect(described.endsWith('…')).toBe(true);
  });

  it('describes returned values by preview and kind', () => {
    expect(describeValue('false')).toBe("'false' (a string)");
    expect(describeValue([1, 2])).toBe('[ 1, 2 ] (an array)');
    expect(describeValue(Promise.resolve(true))).toBe('Promise { true } (a Promise)');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
