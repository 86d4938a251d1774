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
