import type { PyFunction, PyModule } from './python-module.ts';
import { lineComments, quote } from './typescript-text.ts';

export interface MatcherFilePort {
  /** The TypeScript file; undefined when the Python file declares no matcher. */
  readonly text?: string;
  /** The matchers' names, as rules list them. */
  readonly matchers: readonly string[];
}

/**
 * A TypeScript file for a StreamAlert matchers file. StreamAlert 3's matchers are the public
 * methods of its classes (`AwsConfigMatcher.is_config_compliance`, the name rules list here);
 * StreamAlert 2's are functions decorated `@matcher` (named as the function). Each becomes a
 * `matcher()` whose Python is kept as a comment and which matches nothing until ported, so the
 * rules that list it never run on a record before then.
 */
export function portMatcherFile(module: PyModule, sourceFile: string): MatcherFilePort {
  const parts: string[] = [];
  const matchers: string[] = [];
  for (const cls of module.classes) {
    const methods = cls.methods.filter((method) => !method.name.startsWith('_'));
    if (methods.length === 0) continue;
    parts.push(`// class ${cls.name}: its other Python (attributes, private helpers), to port with its matchers:\n${lineComments([...cls.otherCode, ...cls.methods.filter((method) => method.name.startsWith('_')).map((method) => method.source)].join('\n'), '')}`);
    for (const method of methods) {
      const name = `${cls.name}.${method.name}`;
      parts.push(matcherText(name, method));
      matchers.push(name);
    }
  }
  for (const fn of module.functions) {
    if (!fn.decorators.some((decorator) => decorator.name.split('.').at(-1) === 'matcher')) continue;
    parts.push(matcherText(fn.name, fn));
    matchers.push(fn.name);
  }
  if (matchers.length === 0) return { matchers };
  const header = [
    `// Ported from ${sourceFile} by 'streamalert import-streamalert': each matcher's logic is still to port`,
    '// (its Python is kept as a comment in it). Until then it matches nothing, and the rules listing it never run.',
    "import { matcher } from 'streamalert';",
  ];
  const rest = module.moduleCode.concat(module.functions.filter((fn) => !matchers.includes(fn.name)).map((fn) => fn.source));
  if (rest.length > 0) header.push('', '// The rest of the Python module:', lineComments(rest.join('\n\n'), ''));
  return { text: `${header.join('\n')}\n\n${parts.join('\n\n')}\n`, matchers };
}

function matcherText(name: string, fn: PyFunction): string {
  return [`matcher(${quote(name)}, {}, (rec) => {`, lineComments(fn.source, '  '), '  return false; // TODO: port the Python above', '});'].join('\n');
}
