import { describe, expect, it } from 'vitest';
import { readPythonModule } from '../../src/migrate/python-module.ts';
import { toJson } from '../../src/migrate/py-to-json.ts';
import { MAX_TOKENS, PythonSyntaxError, tokenize } from '../../src/migrate/python-tokens.ts';

const keywordsOf = (source: string) => Object.fromEntries(readPythonModule(source).functions[0]!.decorators.find((d) => d.name === 'rule')!.keywords!.map(([key, value]) => [key, value]));
const syntaxError = (source: string): PythonSyntaxError => {
  try {
    readPythonModule(source);
  } catch (error) {
    if (error instanceof PythonSyntaxError) return error;
    throw error;
  }
  throw new Error('no PythonSyntaxError');
};

describe('reading rule decorators from Python source, without running it', () => {
  it('reads literals as Python means them: escapes, raw and adjacent strings, tuples, sets, None, numbers', () => {
    const keywords = keywordsOf(
      [
        '@rule(',
        "    logs=('duo:authentication',),  # a tuple",
        "    context={'tab': 'a\\tb', 'raw': r'\\d+', 'joined': 'ab' \"cd\", 'set': {'x'}, 'none': None, 'hex': 0x1F, 'neg': -2.5, 'u': '\\u00e9\\x41'},",
        "    req_subkeys={'detail': [",
        "        'eventName',   # ) ] } in a comment",
        '    ]})',
        'def r(rec):',
        '    return True',
      ].join('\n'),
    );
    expect(toJson(keywords.logs!)).toEqual(['duo:authentication']);
    expect(toJson(keywords.context!)).toEqual({ tab: 'a\tb', raw: '\\d+', joined: 'abcd', set: ['x'], none: null, hex: 31, neg: -2.5, u: 'éA' });
    expect(toJson(keywords.req_subkeys!)).toEqual({ detail: ['eventName'] });
  });

  it('keeps names, calls, f-strings and expressions as what they are, not values', () => {
    const keywords = keywordsOf("@rule(logs=LOGS, matchers=[m.a], context={'when': f'{x}'}, merge_window_mins=5 * 60, outputs=get())\ndef r(rec):\n    return True\n");
    expect(keywords.logs).toEqual({ kind: 'name', path: 'LOGS' });
    expect(keywords.matchers).toEqual({ kind: 'list', items: [{ kind: 'name', path: 'm.a' }] });
    expect(keywords.context).toEqual({ kind: 'code', text: "{'when': f'{x}'}" });
    expect(keywords.merge_window_mins).toEqual({ kind: 'code', text: '5 * 60' });
    expect(keywords.outputs).toEqual({ kind: 'code', text: 'get()' });
  });

  it('finds functions with their decorators, parameters, docstring and whole source; classes with methods; imports', () => {
    const module = readPythonModule(
      [
        'from publishers.community.slack.slack_layout import (Summary,',
        '    AttachRuleInfo as Info)',
        'import matchers.default as m',
        '',
        '@disable',
        "@rule(logs=['a:b'])",
        'def first(rec, context):',
        '    """Doc',
        '    text"""',
        '    if rec:',
        '',
        '        return True',
        '    return False',
        '',
        'class Matchers:',
        '    X = 1',
        '    @classmethod',
        '    def m(cls, rec): return True',
      ].join('\n'),
    );
    expect([...module.imports]).toEqual([
      ['Summary', 'publishers.community.slack.slack_layout.Summary'],
      ['Info', 'publishers.community.slack.slack_layout.AttachRuleInfo'],
      ['m', 'matchers.default'],
    ]);
    const [fn] = module.functions;
    expect(fn!.decorators.map((d) => d.name)).toEqual(['disable', 'rule']);
    expect(fn!.parameters).toEqual(['rec', 'context']);
    expect(fn!.docstring).toBe('Doc\n    text');
    expect(fn!.source.split('\n')).toHaveLength(9);
    expect(module.classes.map((cls) => [cls.name, cls.methods.map((method) => method.name), cls.otherCode])).toEqual([['Matchers', ['m'], ['class Matchers:', '    X = 1']]]);
  });

  it('reports what it cannot read with its line', () => {
    expect(syntaxError("x = 1\n@rule(logs=['a'\ndef r(rec):\n    return True\n")).toMatchObject({ message: 'a bracket opened here is never closed', line: 2 });
    expect(syntaxError('x = 1\ny = "open\n')).toMatchObject({ message: 'a string is not closed on its line', line: 2 });
    expect(syntaxError('"""never closed\n\n')).toMatchObject({ message: 'a string is never closed', line: 1 });
    expect(syntaxError("@rule(**OPTIONS)\ndef r(rec):\n    return True\n")).toMatchObject({ message: "'**' arguments cannot be read without running the Python", line: 1 });
    expect(syntaxError("@rule(logs=['a'], logs=['b'])\ndef r(rec):\n    return True\n")).toMatchObject({ message: "keyword argument 'logs' repeated" });
    expect(syntaxError("@rule(logs=['a'])\nx = 1\n")).toMatchObject({ message: "a decorator must be followed by 'def' or 'class', found 'x'", line: 2 });
    expect(syntaxError('x = )\n')).toMatchObject({ message: "unmatched ')'", line: 1 });
  });

  it('bounds the tokens of a file and the depth of a value', () => {
    expect(() => tokenize('x,'.repeat(MAX_TOKENS))).toThrow(PythonSyntaxError);
    expect(syntaxError(`@rule(logs=${'['.repeat(100)}${']'.repeat(100)})\ndef r(rec):\n    return True\n`)).toMatchObject({ message: 'values nested more than 64 deep' });
  });
});
