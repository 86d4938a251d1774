import { input, password } from '@inquirer/prompts';
import { checkPropertyValue, type OutputProperty } from '../outputs/property.ts';

/** No "?" prefix: the prompts keep StreamAlert's wording, "Please supply ...:". */
const theme = { prefix: { idle: '', done: '' } };

/**
 * Asks for one property's value in StreamAlert's wording. Masked properties are read with no
 * echo. Every value, masked or not, is checked against the property's input restrictions and
 * `extraCheck`; a bad value re-prompts with a message saying what is not allowed.
 */
export async function promptProperty(
  name: string,
  prop: OutputProperty,
  extraCheck: (value: string) => string | undefined = () => undefined,
): Promise<string> {
  const message = `Please supply ${prop.description}:`;
  const validate = (value: string): string | true => checkPropertyValue(name, prop, value) ?? extraCheck(value) ?? true;
  if (prop.maskInput) return password({ message, validate, theme });
  return input({ message, validate, theme, ...(prop.value ? { default: prop.value } : {}) });
}

/** True for the errors @inquirer/prompts throws on Ctrl-C or end of input. */
export function isPromptCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
