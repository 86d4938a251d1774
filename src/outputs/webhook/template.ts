import Mustache from 'mustache';

/**
 * Our bounds on a body template and what it renders: a template is configuration, read into
 * memory at every delivery, and a template over a large record may multiply it (a section inside
 * a section over the same list), so both the output and the work are capped.
 */
export const TEMPLATE_LIMITS = {
  templateChars: 16_384,
  /** Tokens rendered, counting each pass of a section: bounds a template whose output stays small but whose loops do not. */
  renderSteps: 200_000,
  /** The deepest object nesting of the alert document a template sees; deeper values render as JSON text. */
  viewDepth: 32,
} as const;

/** How `{{name}}` escapes a value, chosen by the body's content type (see escapingFor). */
export type Escaping = 'json' | 'markup' | 'form' | 'none';

/**
 * What escaping a content type needs so that a value from the alert cannot change the body's
 * structure: JSON (`application/json`, `*+json`) escapes a value for use inside a JSON string;
 * HTML and XML escape entities; a form (`application/x-www-form-urlencoded`) percent-encodes;
 * any other type (text/plain) has no syntax to break, so values go in as they are.
 *
 * @example
 *   escapingFor('application/json; charset=utf-8') // 'json'
 */
export function escapingFor(contentType: string): Escaping {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/html' || type === 'text/xml' || type === 'application/xml' || type.endsWith('+xml')) return 'markup';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'none';
}

/**
 * Why `template` cannot be used, or undefined: too long, bad Mustache syntax (an unclosed tag or
 * section), or a partial (`{{> name}}`), which has nothing to include here. Worded to follow
 * the property name.
 *
 * @example
 *   templateProblem('{"text":"{{rule_name}"}') // 'is not a valid Mustache template: Unclosed tag at 23'
 */
export function templateProblem(template: string): string | undefined {
  if (template.length > TEMPLATE_LIMITS.templateChars) return `must be at most ${TEMPLATE_LIMITS.templateChars} characters`;
  let tokens: Mustache.TemplateSpans;
  try {
    tokens = Mustache.parse(template);
  } catch (error) {
    return `is not a valid Mustache template: ${(error as Error).message}`;
  }
  return hasPartial(tokens) ? 'may not use partials ({{> name}}): there are none to include' : undefined;
}

function hasPartial(tokens: Mustache.TemplateSpans): boolean {
  return tokens.some((token) => token[0] === '>' || (Array.isArray(token[4]) && hasPartial(token[4] as Mustache.TemplateSpans)));
}

/** A render that went past TEMPLATE_LIMITS or the caller's output bound. */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  constructor(
    message: string,
    readonly tooLarge: boolean,
  ) {
    super(message);
  }
}

/**
 * `template` rendered over `view` (the alert document), at most `maxChars` characters, values
 * escaped as `escaping` says. `{{x}}` escapes; `{{{x}}}` (or `{{& x}}`) inserts a value as it
 * is, except that with JSON escaping it inserts the value as a JSON literal (a string quoted), so
 * no value can break the body's structure either way. An object or list inserted where a value
 * goes is written as JSON. Throws TemplateRenderError over a bound.
 *
 * @example
 *   renderTemplate('{"text":"{{rule_name}} on {{record.host}}"}', { rule_name: 'r', record: { host: 'h"1' } }, 'json', 1000)
 *   // '{"text":"r on h\\"1"}'
 */
export function renderTemplate(template: string, view: unknown, escaping: Escaping, maxChars: number): string {
  return new BoundedWriter(escaping, maxChars).render(template, inertView(view, 0), undefined, { escape: (value: unknown) => escapeValue(valueText(value), escaping) });
}

/**
 * A Mustache writer that counts what it renders and stops past its bounds: the characters it
 * produces (every one comes from a text, a value or a raw value) and the tokens it renders.
 */
class BoundedWriter extends Mustache.Writer {
  #chars = 0;
  #steps = 0;

  constructor(
    readonly escaping: Escaping,
    readonly maxChars: number,
  ) {
    super();
  }

  override renderTokens(...args: Parameters<Mustache.Writer['renderTokens']>): string {
    this.#steps += 1 + args[0].length;
    if (this.#steps > TEMPLATE_LIMITS.renderSteps) throw new TemplateRenderError(`body_template took more than ${TEMPLATE_LIMITS.renderSteps} steps to render (a section inside a section over a long list?)`, false);
    return super.renderTokens(...args);
  }

  override escapedValue(...args: Parameters<Mustache.Writer['escapedValue']>): string {
    return this.#count(super.escapedValue(...args));
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]!);
    if (value === null || value === undefined) return this.#count('');
    return this.#count(this.escaping === 'json' ? JSON.stringify(value) : valueText(value));
  }

  override rawValue(token: string[]): string {
    return this.#count(super.rawValue(token));
  }

  #count(text: string | undefined): string {
    this.#chars += text?.length ?? 0;
    if (this.#chars > this.maxChars) throw new TemplateRenderError(`body_template renders more than ${this.maxChars} characters for this alert`, true);
    return text ?? '';
  }
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function escapeValue(text: string, escaping: Escaping): string {
  switch (escaping) {
    case 'json':
      return JSON.stringify(text).slice(1, -1);
    case 'markup':
      return Mustache.escape(text);
    case 'form':
      return encodeURIComponent(text);
    case 'none':
      return text;
  }
}

/**
 * A copy of the alert document a template cannot reach code through: objects and lists without
 * a prototype (Mustache looks names up with `in`, so `{{constructor}}` would otherwise find
 * Object's, and call it), no functions, and nesting past viewDepth as JSON text.
 */
function inertView(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (depth >= TEMPLATE_LIMITS.viewDepth) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const list = value.map((item) => inertView(item, depth + 1));
    return Object.setPrototypeOf(list, null) as unknown[];
  }
  if (value instanceof Date) return value.toISOString();
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) copy[key] = inertView(item, depth + 1);
  return copy;
}
