import { describe, expect, it } from 'vitest';
import { capitalize, pythonFormat, pythonJsonDumps, urlencode } from '../../src/publishers/python.ts';
import { pythonStr } from '../../src/python/str.ts';
import { presentRuleDescription } from '../../src/publishers/rule-description.ts';

describe('Python’s text conventions', () => {
  it('json.dumps(indent=2, sort_keys=True): sorted keys, empty containers inline, non-ASCII escaped', () => {
    expect(pythonJsonDumps({ b: [1, 'x'], a: { d: {}, c: [] }, é: 'naïve 🙂', n: null })).toBe(
      '{\n  "a": {\n    "c": [],\n    "d": {}\n  },\n  "b": [\n    1,\n    "x"\n  ],\n  "n": null,\n  "\\u00e9": "na\\u00efve \\ud83d\\ude42"\n}',
    );
  });

  it('str(): True, False, None, and containers in Python’s repr with its choice of quotes', () => {
    expect([true, false, null, 1.5, 'plain'].map(pythonStr)).toEqual(['True', 'False', 'None', '1.5', 'plain']);
    expect(pythonStr({ a: ["it's", 'say "hi"', 'both \' "'], b: [null, true], c: 'tab\there\\' })).toBe(
      `{'a': ["it's", 'say "hi"', 'both \\' "'], 'b': [None, True], 'c': 'tab\\there\\\\'}`,
    );
  });

  it('str.format: names, [key] and [index] lookups, doubled braces', () => {
    expect(pythonFormat('{{{a}}} {b[0]} {c[k][1]} {d}', { a: 'x', b: ['y'], c: { k: [0, 'z'] }, d: 7 })).toBe('{x} y z 7');
    expect(() => pythonFormat('{b[3]}', { b: ['y'] })).toThrow("template: '{b[3]}' has no [3]");
    expect(() => pythonFormat('{a.b}', { a: {} })).toThrow("field '{a.b}' is not supported");
  });

  it('urlencode and capitalize as Python’s', () => {
    expect(urlencode({ q: "rule_a path:/rules (x)!'*~" })).toBe('q=rule_a+path%3A%2Frules+%28x%29%21%27%2A~');
    expect(capitalize('reference URL')).toBe('Reference url');
  });
});

describe('rule descriptions read as StreamAlert reads them', () => {
  it('takes leading text as the description and `field: value` lines as fields, continued over the lines after them', () => {
    const presentation = presentRuleDescription(`
      Alerts on a public S3 object
      that was private.

      maintainer: secops
      Playbook: rotate the ACL,
                then tell the owner
      http://not-a-field.example.com
    `);
    expect(presentation.description).toBe('Alerts on a public S3 object that was private.');
    expect(presentation.author).toBe('secops');
    expect([...presentation.fields]).toEqual([['playbook', 'rotate the ACL, then tell the owner http://not-a-field.example.com']]);
  });

  it('keeps a blank line inside a field as a line break, and joins a URL split over lines', () => {
    const presentation = presentRuleDescription('description: one\n\ntwo\nreference: https://example.com/very/long\n   /path?x=1');
    expect(presentation.description).toBe('one\ntwo');
    expect(presentation.fields.get('reference')).toBe('https://example.com/very/long/path?x=1');
  });

  it('decides a long line that is not a URL at once (StreamAlert’s pattern backtracks exponentially on it)', () => {
    const long = `${'a.'.repeat(5000)}!`;
    const presentation = presentRuleDescription(`note: ${long}\n${' b'.repeat(10)}`);
    expect(presentation.fields.get('note')).toBe(`${long} ${'b '.repeat(10).trim()}`);
    expect(presentRuleDescription('note: a.b\nc d').fields.get('note')).toBe('a.b c d');
    expect(presentRuleDescription('note: a.b\ncd').fields.get('note')).toBe('a.bcd');
    expect(presentRuleDescription('note: ab\ncd').fields.get('note')).toBe('ab cd');
  });
});
