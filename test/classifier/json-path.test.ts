import { describe, expect, it } from 'vitest';
import { compileJsonPath, embedRecord } from '../../src/classifier/json-path.ts';

describe('json_path (the JMESPath subset StreamAlert schemas use)', () => {
  const payload = {
    Records: [{ a: 1 }, { a: 2 }],
    logEvents: [{ message: 'one', extractedFields: { x: 1 } }, { message: 'two' }],
    logs: { results: [{ host: 'h1' }] },
    'dotted.key': [{ q: true }],
    nested: [[1, 2], [3]],
  };

  it.each([
    ['Records[*]', [{ a: 1 }, { a: 2 }]],
    ['Records[0]', [{ a: 1 }]],
    ['Records[-1]', [{ a: 2 }]],
    ['logEvents[*].message', ['one', 'two']],
    ['logEvents[*].extractedFields', [{ x: 1 }]],
    ['logs.results[*]', [{ host: 'h1' }]],
    ['"dotted.key"[*].q', [true]],
    ['nested[]', [1, 2, 3]],
    ['missing[*]', []],
    ['Records', [{ a: 1 }, { a: 2 }]],
    ['logs', [{ results: [{ host: 'h1' }] }]],
  ])('%s', (expression, expected) => {
    expect(compileJsonPath(expression)(payload)).toEqual(expected);
  });

  it('[*] at the start projects a top-level list', () => {
    expect(compileJsonPath('[*]')([{ a: 1 }, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(compileJsonPath('[*]')({ a: 1 })).toEqual([]);
  });

  it.each(['Records[?a > `1`]', 'Records[*].{a: a}', 'Records.', '', 'Records | [0]', 'a[1:2]'])('refuses %j, saying what is supported', (expression) => {
    expect(() => compileJsonPath(expression)).toThrow(/json_path/);
  });

  it('builds the smallest payload a path extracts a record from', () => {
    const record = { eventName: 'x' };
    expect(embedRecord('Records[*]', record)).toEqual({ Records: [record] });
    expect(embedRecord('logEvents[*].message', 'text')).toEqual({ logEvents: [{ message: 'text' }] });
    expect(compileJsonPath('logs.results[*]')(embedRecord('logs.results[*]', record))).toEqual([record]);
    expect(() => embedRecord('Records[3]', record)).toThrow(/picks item 3/);
  });
});
