import { search } from 'jmespath';
import { isPlainObject } from '../../classifier/record.ts';

/** StreamAlert's publisher-test conditions, and the words its failures use. */
const CONDITIONS = {
  is: 'should have been',
  in: 'should have been one of',
  contains: 'should have contained',
} as const;
type Condition = keyof typeof CONDITIONS;

/** One assertion on the document an output's publishers produce for an alert. */
export interface PublisherTest {
  /** `service:descriptor`. */
  readonly output: string;
  /** A JMESPath expression over the publication, e.g. `"@slack.attachments"[0].title`. */
  readonly expression: string;
  readonly condition: Condition;
  readonly value: unknown;
}

/** Values in failure messages are cut to this many characters: a whole record helps no one. */
const MAX_SHOWN_CHARS = 300;

/**
 * Checks a test event's `publisher_tests`: `{"service:descriptor": [test, ...]}`, each test a
 * list `[expression, condition, value]` or `{"jmespath_expression", "condition", "value"}`, the
 * condition `is`, `in` or `contains`. StreamAlert finds a bad test only once an alert is
 * published; here a bad one makes the event malformed, whether or not a rule fires.
 *
 * @example
 *   parsePublisherTests({ 'slack:sec': [['"@slack.text"', 'is', 'Rule triggered']] })
 */
export function parsePublisherTests(raw: unknown): PublisherTest[] | string {
  if (raw === undefined) return [];
  if (!isPlainObject(raw)) return 'publisher_tests must be an object of outputs and their tests: {"slack:sec-alerts": [["\\"@slack.text\\"", "is", "..."]]}';
  const tests: PublisherTest[] = [];
  for (const [output, list] of Object.entries(raw)) {
    if (!/^[a-z0-9][a-z0-9-]*:[^:\s]+$/.test(output)) return `publisher_tests key '${output}' must be an output, service:descriptor`;
    if (!Array.isArray(list)) return `publisher_tests.${output} must be a list of tests`;
    for (const [i, item] of list.entries()) {
      const test = parseOne(output, item);
      if (typeof test === 'string') return `publisher_tests.${output}[${i}]: ${test}`;
      tests.push(test);
    }
  }
  return tests;
}

function parseOne(output: string, item: unknown): PublisherTest | string {
  let expression: unknown;
  let condition: unknown;
  let value: unknown;
  if (Array.isArray(item)) {
    if (item.length !== 3) return `a test as a list has three elements, [jmespath expression, condition, value]; this one has ${item.length}`;
    [expression, condition, value] = item;
  } else if (isPlainObject(item)) {
    const missing = ['jmespath_expression', 'condition', 'value'].filter((key) => !Object.hasOwn(item, key));
    if (missing.length > 0) return `a test as an object has the keys jmespath_expression, condition and value; missing ${missing.join(', ')}`;
    ({ jmespath_expression: expression, condition, value } = item);
  } else {
    return 'a test is a list [jmespath expression, condition, value] or an object {"jmespath_expression", "condition", "value"}';
  }
  if (typeof expression !== 'string' || expression === '') return 'the jmespath expression must be text';
  if (typeof condition !== 'string' || !Object.hasOwn(CONDITIONS, condition)) return `condition ${JSON.stringify(condition)} is not one of ${Object.keys(CONDITIONS).join(', ')}`;
  const syntaxError = jmespathSyntaxError(expression);
  if (syntaxError) return `'${expression}' is not a JMESPath expression (${syntaxError})`;
  return { output, expression, condition: condition as Condition, value };
}

/** Why `expression` does not parse, if it does not: evaluating it on null parses it, and only a parse fails with these names. */
function jmespathSyntaxError(expression: string): string | undefined {
  try {
    search(null, expression);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'ParserError' || name === 'LexerError' || message.startsWith('Unknown function')) return message;
  }
  return undefined;
}

/**
 * Runs one test on a publication; undefined when it holds, else what failed, in StreamAlert's
 * words. `is` compares JSON values; `in` asks whether the value found is one of a list (or, for
 * text, part of it); `contains` whether the value found (text, list or object) contains the
 * expected one (a substring, an element, a key).
 *
 * @example
 *   checkPublisherTest(test, { '@slack.text': 'Rule triggered' })  // undefined
 */
export function checkPublisherTest(test: PublisherTest, publication: Record<string, unknown>): string | undefined {
  let found: unknown;
  try {
    found = search(publication, test.expression);
  } catch (error) {
    return `'${test.expression}' could not be evaluated: ${(error as Error).message}`;
  }
  if (holds(test.condition, found, test.value)) return undefined;
  return `item at path '${test.expression}' ${CONDITIONS[test.condition]} ${shown(test.value)}; actual value: ${shown(found)}`;
}

function holds(condition: Condition, found: unknown, expected: unknown): boolean {
  switch (condition) {
    case 'is':
      return jsonEqual(found, expected);
    case 'in':
      if (Array.isArray(expected)) return expected.some((item) => jsonEqual(found, item));
      return typeof expected === 'string' && typeof found === 'string' && expected.includes(found);
    case 'contains':
      if (typeof found === 'string') return typeof expected === 'string' && found.includes(expected);
      if (Array.isArray(found)) return found.some((item) => jsonEqual(item, expected));
      return isPlainObject(found) && typeof expected === 'string' && Object.hasOwn(found, expected);
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

function shown(value: unknown): string {
  const text = value === undefined ? 'null' : JSON.stringify(value);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}... (${text.length} characters)` : text;
}
