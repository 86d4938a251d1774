/**
 * The part of JMESPath (https://jmespath.org/specification.html) that StreamAlert's schemas use
 * in `configuration.json_path`: field access (`a.b`, `"quoted key"`), list projections (`[*]`),
 * flatten projections (`[]`) and indexes (`[0]`, `[-1]`). Examples: `Records[*]`, `[*]`,
 * `logEvents[*].message`, `logs.results[*]`. Anything else is refused when the schema loads,
 * never misread at run time.
 */
export type JsonPath = (payload: unknown) => unknown[];

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'project' }
  | { readonly kind: 'flatten' };

/**
 * Compiles a json_path expression; throws an Error saying what is not supported.
 *
 * @example
 *   compileJsonPath('Records[*]')({ Records: [{ a: 1 }, { a: 2 }] })  // [{ a: 1 }, { a: 2 }]
 */
export function compileJsonPath(expression: string): JsonPath {
  const steps = parse(expression);
  return (payload) => {
    const result = evaluate(payload, steps, 0);
    // As StreamAlert: nothing found is no records; a single value is one record.
    if (result === null || result === undefined) return [];
    return Array.isArray(result) ? result : [result];
  };
}

/**
 * The smallest payload from which `expression` extracts `record`: the inverse of the path, for
 * test events that give the record alone (`override_record`).
 *
 * @example
 *   embedRecord('Records[*]', { eventName: 'x' })  // { Records: [{ eventName: 'x' }] }
 */
export function embedRecord(expression: string, record: unknown): unknown {
  return parse(expression).reduceRight<unknown>((inner, step) => {
    if (step.kind === 'field') return { [step.name]: inner };
    if (step.kind === 'index' && step.index !== 0 && step.index !== -1) throw new Error(`json_path '${expression}' picks item ${step.index}; give the test event as 'data'`);
    return [inner];
  }, record);
}

function evaluate(value: unknown, steps: readonly Step[], from: number): unknown {
  let current = value;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    if (current === null || current === undefined) return null;
    switch (step.kind) {
      case 'field':
        current = isObject(current) ? current[step.name] : null;
        break;
      case 'index':
        current = Array.isArray(current) ? current.at(step.index) : null;
        break;
      case 'flatten':
      case 'project': {
        if (!Array.isArray(current)) return null;
        const items = step.kind === 'flatten' ? current.flat(1) : current;
        // A projection applies the rest of the expression to each element and drops nulls.
        const projected: unknown[] = [];
        for (const item of items) {
          const out = evaluate(item, steps, i + 1);
          if (out !== null && out !== undefined) projected.push(out);
        }
        return projected;
      }
    }
  }
  return current;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;

function parse(expression: string): Step[] {
  const steps: Step[] = [];
  let rest = expression.trim();
  if (rest === '') throw new Error('json_path is empty');
  let expectField = !rest.startsWith('[');
  while (rest !== '') {
    if (expectField) {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
      const bare = IDENTIFIER.exec(rest);
      const match = quoted ?? bare;
      if (!match) throw unsupported(expression, rest);
      steps.push({ kind: 'field', name: quoted ? (JSON.parse(match[0]) as string) : match[0] });
      rest = rest.slice(match[0].length);
      expectField = false;
      continue;
    }
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      expectField = true;
      continue;
    }
    const bracket = /^\[\s*(\*|-?\d+)?\s*\]/.exec(rest);
    if (!bracket) throw unsupported(expression, rest);
    const inside = bracket[1];
    steps.push(inside === undefined ? { kind: 'flatten' } : inside === '*' ? { kind: 'project' } : { kind: 'index', index: Number(inside) });
    rest = rest.slice(bracket[0].length);
  }
  if (expectField) throw new Error(`json_path '${expression}' ends with '.'`);
  return steps;
}

function unsupported(expression: string, at: string): Error {
  return new Error(
    `json_path '${expression}' is not supported at '${at}': use field names, '.', [*], [] and [N] (e.g. Records[*], logEvents[*].message)`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
