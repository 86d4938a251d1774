import type { Decorator, PyFunction, PyModule } from './python-module.ts';
import type { PyValue } from './python-values.ts';
import { NotJsonError, pySource, toJson, toStringList } from './py-to-json.ts';
import { cleanDocstring, isPlainIdentifier, lineComments, tsLiteral } from './typescript-text.ts';

/** What porting a file needs to know about the project and the checkout. */
export interface PortContext {
  /** Output services this package has (`slack`, `aws-s3`, ...). */
  readonly services: ReadonlySet<string>;
  /** StreamAlert service names that are ours under another name (`pagerduty-v2` is our `pagerduty`). */
  /** Whether a publisher name (ours, or a StreamAlert module path) is built in. */
  readonly isPublisher: (name: string) => boolean;
  /** Dotted module paths of the checkout's matcher files (`matchers.default`), stripped from matcher references. */
  readonly matcherModules: readonly string[];
  /** Outputs given to rules that declare none (`--default-output`). */
  readonly defaultOutputs: readonly string[];
  /** The file's module path (`rules.community.duo.duo_fraud`), for names it defines itself. */
  readonly modulePath: string;
}

/** Something about one line of the Python file. */
export interface Note {
  readonly line: number;
  readonly message: string;
}

export interface FilePort {
  /** The TypeScript file; undefined when no rule could be ported. */
  readonly text?: string;
  readonly rules: readonly string[];
  /** Rules that lost an option (kept as a comment) or need something done by hand. */
  readonly notes: readonly Note[];
  /** Rules that could not be ported at all (no skeleton). */
  readonly problems: readonly Note[];
  /** Rules that declared no outputs and got none (StreamAlert sent them only to its required firehose). */
  readonly withoutOutputs: readonly string[];
}

const RULE_OPTIONS = new Set(['logs', 'outputs', 'dynamic_outputs', 'publishers', 'req_subkeys', 'datatypes', 'matchers', 'merge_by_keys', 'merge_window_mins', 'context']);

/** True for `@rule(...)` under any import path (`rule`, `streamalert.shared.rule.rule`, `StreamRules.rule`). */
export function isRuleDecorator(decorator: Decorator): boolean {
  return lastPart(decorator.name) === 'rule';
}

/**
 * A TypeScript file for a StreamAlert rule file: each `@rule` function becomes an exported
 * `rule()` with the same name and the decorator's options (camelCase), its docstring as the
 * description, `@disable` as `disabled: true`, and the Python kept as a comment above a
 * `return false; // TODO: port`, so the file type-checks and loads before anything is ported.
 */
export function portRuleFile(module: PyModule, sourceFile: string, context: PortContext): FilePort {
  const notes: Note[] = [];
  const problems: Note[] = [];
  const withoutOutputs: string[] = [];
  const parts: string[] = [];
  const rules: string[] = [];
  const imports = new Set(['rule']);
  for (const fn of module.functions) {
    const decorator = fn.decorators.find(isRuleDecorator);
    if (decorator === undefined) continue;
    const ported = portRule(fn, decorator, module, context);
    if ('problem' in ported) {
      problems.push({ line: decorator.line, message: `rule ${fn.name}: ${ported.problem}` });
      continue;
    }
    notes.push(...ported.notes.map((message) => ({ line: decorator.line, message: `rule ${fn.name}: ${message}` })));
    if (ported.withoutOutputs) withoutOutputs.push(fn.name);
    ported.imports.forEach((name) => imports.add(name));
    parts.push(ported.text);
    rules.push(fn.name);
  }
  if (rules.length === 0) return { rules, notes, problems, withoutOutputs };
  const others = module.moduleCode.filter((code) => !/^\s*(from\s+streamalert\.shared\.rule\s+import|import\s+streamalert\.shared\.rule)\b/.test(code));
  const helpers = module.functions.filter((fn) => !fn.decorators.some(isRuleDecorator));
  const header = [
    `// Ported from ${sourceFile} by 'streamalert import-streamalert': each rule's options are StreamAlert's;`,
    "// its logic is still to port (the Python is kept as a comment in it). Until then it returns false.",
    `import { ${[...imports].sort().join(', ')} } from 'streamalert';`,
  ];
  if (others.length > 0 || helpers.length > 0) {
    header.push('', '// The rest of the Python module (imports, constants, helpers), to port with the rules that use it:');
    header.push(lineComments([...others, ...helpers.map((fn) => fn.source)].join('\n\n'), ''));
  }
  return { text: `${header.join('\n')}\n\n${parts.join('\n\n')}\n`, rules, notes, problems, withoutOutputs };
}

interface PortedRule {
  readonly text: string;
  readonly notes: readonly string[];
  readonly imports: readonly string[];
  readonly withoutOutputs: boolean;
}

function portRule(fn: PyFunction, decorator: Decorator, module: PyModule, context: PortContext): PortedRule | { problem: string } {
  if (!/^[A-Za-z_][\w]*$/.test(fn.name)) return { problem: `the name '${fn.name}' is not an ASCII identifier; rename it in Python first` };
  if ((decorator.positional ?? []).length > 0) return { problem: `@rule takes keyword arguments only (StreamAlert 3), found a positional one: ${pySource(decorator.positional![0]!)}` };
  const keywords = new Map(decorator.keywords ?? []);
  const options: string[] = [];
  const notes: string[] = [];
  const imports: string[] = [];
  const declarations: string[] = [];
  const indent = '    ';
  const option = (name: string, value: unknown) => options.push(`${indent}${name}: ${tsLiteral(value, indent)},`);
  const dropped = (name: string, value: PyValue, why: string) => {
    options.push(lineComments(`${name}=${pySource(value)}: not carried (${why})`, indent));
    notes.push(`${name} not carried (${why}); kept as a comment`);
  };

  for (const list of ['logs', 'datatypes'] as const) {
    const value = keywords.get(list);
    if (value === undefined) continue;
    const names = tryStringList(value);
    if (names === undefined) return { problem: `${list}=${pySource(value)} is not a literal list of ${list === 'logs' ? 'log types' : 'normalized types'}: write the list in the decorator, or port this rule by hand` };
    option(list, names);
  }
  if (!keywords.has('logs') && !keywords.has('datatypes')) return { problem: "it declares neither 'logs' nor 'datatypes' (StreamAlert refuses such a rule too)" };

  let withoutOutputs = false;
  const outputs = keywords.get('outputs');
  if (outputs !== undefined) {
    const comments: string[] = [];
    const kept = portOutputs(outputs, context, notes, comments, indent);
    if (kept !== undefined && kept.length > 0) option('outputs', kept);
    else if (kept !== undefined) withoutOutputs = !assignDefaultOutputs(context, option, options, indent);
    options.push(...comments);
  } else withoutOutputs = !assignDefaultOutputs(context, option, options, indent);

  const dynamic = keywords.get('dynamic_outputs');
  if (dynamic !== undefined) {
    const names = dynamic.kind === 'list' ? dynamic.items : [dynamic];
    if (names.every((item) => item.kind === 'name' && isPlainIdentifier(lastPart(item.path)))) {
      const stubs = names.map((item) => `${fn.name}_${lastPart((item as { path: string }).path)}`);
      names.forEach((item, i) => {
        const path = (item as { path: string }).path;
        declarations.push(`/** StreamAlert's dynamic output ${path} (its Python is above): no outputs until it is ported. */\nconst ${stubs[i]}: DynamicOutput = () => null; // TODO: port ${path}`);
      });
      options.push(`${indent}dynamicOutputs: [${stubs.join(', ')}],`);
      imports.push('type DynamicOutput');
      notes.push(`dynamic_outputs ${names.map((item) => (item as { path: string }).path).join(', ')}: stubs returning no outputs, to port`);
    } else dropped('dynamic_outputs', dynamic, 'a list of function names was expected');
  }

  const publishers = keywords.get('publishers');
  if (publishers !== undefined) {
    const ported = portPublishers(publishers, module, context);
    if ('problem' in ported) dropped('publishers', publishers, ported.problem);
    else {
      option('publishers', ported.spec);
      for (const name of ported.unknown) notes.push(`publisher '${name}' is not built in: port it with publisher('${name}', fn) in publishers/ (docs/publishers.md)`);
    }
  }

  const subkeys = keywords.get('req_subkeys');
  if (subkeys !== undefined) {
    const json = tryJson(subkeys);
    const valid = json !== undefined && typeof json === 'object' && json !== null && !Array.isArray(json) && Object.values(json).every((keys) => Array.isArray(keys) && keys.every((key) => typeof key === 'string'));
    if (valid) option('reqSubkeys', json);
    else dropped('req_subkeys', subkeys, 'a dict of key to a list of subkeys was expected');
  }

  const matchers = keywords.get('matchers');
  if (matchers !== undefined) {
    const items = matchers.kind === 'list' ? matchers.items : [matchers];
    const names = items.map((item) => (item.kind === 'str' ? item.value : item.kind === 'name' ? matcherName(item.path, module, context) : undefined));
    if (names.every((name) => name !== undefined)) option('matchers', names);
    else dropped('matchers', matchers, 'a list of matcher names or matcher functions was expected');
  }

  const mergeKeys = keywords.get('merge_by_keys');
  if (mergeKeys !== undefined) {
    const keys = tryStringList(mergeKeys);
    if (keys !== undefined) option('mergeByKeys', keys);
    else dropped('merge_by_keys', mergeKeys, 'a list of keys was expected');
  }
  const window = keywords.get('merge_window_mins');
  if (window !== undefined) {
    if (window.kind === 'num') option('mergeWindowMins', window.value);
    else dropped('merge_window_mins', window, 'a number was expected');
  }

  const initial = keywords.get('context');
  if (initial !== undefined) {
    const json = tryJson(initial);
    if (json !== undefined && typeof json === 'object' && json !== null && !Array.isArray(json)) option('context', json);
    else dropped('context', initial, 'a dict literal was expected');
  }

  for (const [key, value] of keywords) if (!RULE_OPTIONS.has(key)) dropped(key, value, 'not an option StreamAlert 3 rules have');
  if (fn.decorators.some((each) => lastPart(each.name) === 'disable')) option('disabled', true);
  const description = fn.docstring === undefined ? undefined : cleanDocstring(fn.docstring);
  if (description) option('description', description);

  const binding = isPlainIdentifier(fn.name) ? fn.name : `${fn.name}_rule`;
  const parameters = fn.parameters.filter((name) => !name.startsWith('*')).length >= 2 ? '(rec, context)' : '(rec)';
  const body = [
    `${binding === fn.name ? 'export ' : ''}const ${binding} = rule(`,
    '  {',
    ...options,
    '  },',
    `  ${parameters} => {`,
    lineComments(fn.source, '    '),
    '    return false; // TODO: port the Python above',
    '  },',
    ');',
  ];
  if (binding !== fn.name) body.push(`export { ${binding} as ${fn.name} };`);
  return { text: [...declarations, body.join('\n')].join('\n\n'), notes, imports, withoutOutputs };
}

/** The rule's outputs we can deliver to; the others become a comment and a note. */
function portOutputs(value: PyValue, context: PortContext, notes: string[], options: string[], indent: string): string[] | undefined {
  const names = tryStringList(value);
  if (names === undefined) {
    options.push(lineComments(`outputs=${pySource(value)}: not carried (a list of 'service:descriptor' was expected)`, indent));
    notes.push('outputs not carried (not a list of text); kept as a comment');
    return undefined;
  }
  const kept: string[] = [];
  for (const name of names) {
    const colon = name.indexOf(':');
    const service = colon < 0 ? name : name.slice(0, colon);
    if (context.services.has(service) && colon > 0) kept.push(name);
    else {
      options.push(lineComments(`output '${name}' not carried: no '${service}' output service here`, indent));
      notes.push(`output '${name}' not carried: no '${service}' output service here (kept as a comment)`);
    }
  }
  return kept;
}

/** Gives a rule without outputs the --default-output ones; false (and a TODO) when there are none. */
function assignDefaultOutputs(context: PortContext, option: (name: string, value: unknown) => void, options: string[], indent: string): boolean {
  if (context.defaultOutputs.length > 0) {
    option('outputs', context.defaultOutputs);
    return true;
  }
  options.push(`${indent}outputs: [], // TODO: StreamAlert sent this rule's alerts only to its required aws-firehose:alerts; name an output`);
  return false;
}

/** StreamAlert's three publisher forms, with each name resolved to the module path it was imported from. */
function portPublishers(value: PyValue, module: PyModule, context: PortContext): { spec: unknown; unknown: string[] } | { problem: string } {
  const unknown: string[] = [];
  const one = (item: PyValue): string | undefined => {
    const name = item.kind === 'str' ? item.value : item.kind === 'name' ? qualified(item.path, module, context) : undefined;
    if (name !== undefined && !context.isPublisher(name) && !unknown.includes(name)) unknown.push(name);
    return name;
  };
  const many = (item: PyValue): string | string[] | undefined => {
    if (item.kind !== 'list') return one(item);
    const names = item.items.map(one);
    return names.every((name) => name !== undefined) ? (names as string[]) : undefined;
  };
  if (value.kind === 'dict') {
    const spec: Record<string, unknown> = {};
    for (const [key, item] of value.entries) {
      const names = many(item);
      if (key.kind !== 'str' || names === undefined) return { problem: 'a dict of output to publishers was expected' };
      spec[key.value] = names;
    }
    return { spec, unknown };
  }
  const spec = many(value);
  return spec === undefined ? { problem: 'publisher names or functions were expected' } : { spec, unknown };
}

/** A name used in the file as the dotted path it stands for: through its imports, else as defined in the file itself. */
function qualified(path: string, module: PyModule, context: PortContext): string {
  const [head, ...rest] = path.split('.');
  const imported = module.imports.get(head!);
  if (imported !== undefined) return [imported, ...rest].join('.');
  return `${context.modulePath}.${path}`;
}

/** The name a matcher reference has here: its dotted path less the checkout's matcher module (`AwsConfigMatcher.is_config_compliance`). */
function matcherName(path: string, module: PyModule, context: PortContext): string {
  const full = module.imports.has(path.split('.')[0]!) ? qualified(path, module, context) : path;
  const owner = [...context.matcherModules].sort((a, b) => b.length - a.length).find((prefix) => full.startsWith(`${prefix}.`));
  return owner === undefined ? path : full.slice(owner.length + 1);
}

function tryJson(value: PyValue): unknown {
  try {
    return toJson(value);
  } catch (error) {
    if (error instanceof NotJsonError) return undefined;
    throw error;
  }
}

function tryStringList(value: PyValue): string[] | undefined {
  try {
    return toStringList(value);
  } catch (error) {
    if (error instanceof NotJsonError) return undefined;
    throw error;
  }
}

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

