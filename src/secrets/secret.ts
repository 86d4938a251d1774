import { inspect } from 'node:util';

const REDACTED = '[secret]';

/**
 * A credential value that redacts itself wherever it could leak: string conversion,
 * JSON serialisation, util.inspect (console.log, pino). Call `reveal()` only at the point
 * of use, e.g. when building an HTTP request.
 *
 * @example
 *   const url = new Secret('https://hooks.slack.com/services/T/B/X');
 *   `${url}`      // '[secret]'
 *   url.reveal()  // 'https://hooks.slack.com/services/T/B/X'
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** The plain text of a value that may or may not be a Secret. */
export function reveal(value: string | Secret): string {
  return value instanceof Secret ? value.reveal() : value;
}
