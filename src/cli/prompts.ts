import { checkPropertyValue, type OutputProperty } from '../outputs/property.ts';

/** No "?" prefix: the prompts keep StreamAlert's wording, "Please supply ...:". */
const theme = { prefix: { idle: '', done: '' } };

export interface PromptOptions {
  /** The value stored now (`output new --update`): shown as the default, or as "(keep current)" for a secret; Enter keeps it. */
  current?: string;
  /** A check beyond the property's own, e.g. that a descriptor is free. */
  extraCheck?: (value: string) => string | undefined;
}

/**
 * Asks for one property's value in StreamAlert's wording. Masked properties are read with no
 * echo. Every value, masked or not, is checked against the property's input restrictions and
 * `extraCheck`; a bad value re-prompts with a message saying what is not allowed. Enter takes
 * the current value when there is one, else the property's default.
 *
 * @example
 *   const url = await promptProperty('url', PagerDutyOutput.properties.url, { current: 'https://proxy.example.com/enqueue' });
 *   // Please supply the Events API v2 URL, only to override the default (EU region, proxy): (https://proxy.example.com/enqueue)
 */
export async function promptProperty(name: string, prop: OutputProperty, options: PromptOptions = {}): Promise<string> {
  // Loaded here, not at start: only `output new` at a terminal prompts (about 50 ms saved elsewhere).
  const { input, password } = await import('@inquirer/prompts');
  const current = options.current === '' ? undefined : options.current;
  const message = `Please supply ${prop.description}:`;
  const check = (value: string): string | true => checkPropertyValue(name, prop, value) ?? options.extraCheck?.(value) ?? true;
  if (prop.maskInput) {
    // A secret is never shown, not even as a default: an empty answer keeps the stored one.
    const typed = await password({ message: current === undefined ? message : `${message} (keep current)`, validate: (value) => (value === '' && current !== undefined) || check(value), theme });
    return typed === '' && current !== undefined ? current : typed;
  }
  const fallback = current ?? prop.value;
  return input({ message, validate: check, theme, ...(fallback ? { default: fallback } : {}) });
}

/** True for the errors @inquirer/prompts throws on Ctrl-C or end of input. */
export function isPromptCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
