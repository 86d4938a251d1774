/**
 * An input that cannot be read any further: binary data, broken gzip, gzip inflating past
 * `input.maxInflatedBytes`. The records read before it were handed on; the message says what
 * to do about the rest.
 */
export class InputError extends Error {
  override name = 'InputError';
}
