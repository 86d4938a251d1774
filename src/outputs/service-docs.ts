import { join } from 'node:path';
import type { OutputProperty } from './property.ts';
import type { OutputClass } from './registry.ts';

/** Each service's page: docs/outputs/<service>.md in the package (src/ and dist/ sit beside docs/). */
export function servicePage(service: string): string {
  return join(import.meta.dirname, '..', '..', 'docs', 'outputs', `${service}.md`);
}

/** The lines between which a service's page holds its generated properties table (and the index its list of services). */
export const GENERATED_BEGIN = '<!-- generated: properties -->';
export const INDEX_BEGIN = '<!-- generated: services -->';
export const GENERATED_END = '<!-- end generated -->';

/** The index of service pages, docs/outputs/README.md. */
export const SERVICES_INDEX = join(import.meta.dirname, '..', '..', 'docs', 'outputs', 'README.md');

/**
 * The properties table of a service's page, from the declarations the CLI prompts from, so the
 * docs and the prompts cannot drift apart (`npm run docs:outputs` writes it into each page).
 */
export function propertiesTable(cls: OutputClass): string {
  const rows = Object.entries(cls.properties).map(([name, prop]) => {
    const cells = [`\`${name}\``, prop.credRequirement ? 'yes' : 'no', defaultOf(name, prop), restrictionsOf(name, prop), escapeCell(prop.description)];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| property | secret | default | accepted values | prompt: "Please supply ..." |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The index's table: every service, its page and its properties (secret or optional). */
export function servicesTable(classes: readonly OutputClass[]): string {
  const rows = classes.map((cls) => {
    const properties = Object.entries(cls.properties)
      .filter(([name]) => name !== 'descriptor')
      .map(([name, prop]) => `\`${name}\`${prop.credRequirement ? ' (secret)' : prop.optional ? ' (optional)' : ''}`);
    return `| \`${cls.service}\` | [${escapeCell(cls.displayName)}](${cls.service}.md) | ${properties.join(', ') || '(none)'} |`;
  });
  return ['| service | page | properties (secret = masked at the prompt, encrypted at rest) |', '|---|---|---|', ...rows].join('\n');
}

/** `page` with its generated block (opened by `begin`) replaced by `table`; undefined when the page has no such block. */
export function withPropertiesTable(page: string, table: string, begin = GENERATED_BEGIN): string | undefined {
  const at = page.indexOf(begin);
  const end = page.indexOf(GENERATED_END, at);
  if (at === -1 || end === -1) return undefined;
  return `${page.slice(0, at + begin.length)}\n${table}\n${page.slice(end)}`;
}

function defaultOf(name: string, prop: OutputProperty): string {
  if (prop.value !== '') return `\`${prop.value}\``;
  if (name === 'descriptor') return 'required';
  return prop.optional ? '(none: optional)' : 'required';
}

function restrictionsOf(name: string, prop: OutputProperty): string {
  if (name === 'descriptor') return "letters, digits, `-`, `_` and `.`: the name rules use, `service:descriptor`";
  const parts: string[] = [];
  if (prop.choices) parts.push(`one of ${prop.choices.map((choice) => `\`${choice}\``).join(', ')}`);
  if (prop.isUrl) parts.push('an `https://` (or `http://`) URL');
  const forbidden = [...prop.inputRestrictions].map((char) => (char === ' ' ? 'space' : `\`${char}\``));
  if (forbidden.length > 0) parts.push(`no ${forbidden.join(' or ')}`);
  if (prop.maskInput) parts.push('read without echo');
  return parts.join('; ') || 'any text';
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
