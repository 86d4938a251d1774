import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * The shared leak check: asserts that no secret value appears in anything printable, whether
 * results, errors or log lines, however it is turned into text.
 */
export function expectNoSecrets(secrets: readonly string[], ...things: unknown[]): void {
  for (const thing of things) {
    const renderings = [typeof thing === 'string' ? thing : JSON.stringify(thing) ?? '', inspect(thing, { depth: 10 }), String(thing)];
    if (thing instanceof Error) renderings.push(thing.message, thing.stack ?? '');
    for (const text of renderings) {
      for (const secret of secrets) {
        expect(text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`).toBe(false);
      }
    }
  }
}
