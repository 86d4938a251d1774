/** A service id is registered twice: two classes claim the same `service`. */
export class DuplicateServiceError extends Error {
  override name = 'DuplicateServiceError';
  constructor(service: string) {
    super(`Output service '${service}' is registered twice: each output class needs its own service id`);
  }
}

/** A service id that no output class registered. */
export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
  constructor(service: string, known: readonly string[]) {
    super(`Unknown output service '${service}'. Known services: ${known.join(', ')}`);
  }
}

/** An output class whose declaration breaks the framework's rules. */
export class OutputDeclarationError extends Error {
  override name = 'OutputDeclarationError';
}

/** A configured output whose settings are missing or unusable. */
export class OutputConfigError extends Error {
  override name = 'OutputConfigError';
}

/**
 * A deadline passed before the work was done: the abort reason of a Deadline's signal, and what a
 * `timeout` result says. `scope` is what it bounded: one request, or a whole delivery attempt.
 */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(
    readonly scope: 'request' | 'attempt',
    readonly ms: number,
  ) {
    super(scope === 'request' ? `did not answer within ${ms} ms` : `did not answer within the attempt's deadline of ${ms} ms`);
  }
}
