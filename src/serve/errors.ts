/** A request `serve` refuses: `status` is the HTTP status to answer, the message says what to do. */
export class RequestError extends Error {
  override name = 'RequestError';
  /** Headers the answer needs, e.g. `WWW-Authenticate` on a 401, `Retry-After` on a 503. */
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly status: number,
    message: string,
    options: ErrorOptions & { headers?: Record<string, string> } = {},
  ) {
    super(message, options);
    this.headers = options.headers ?? {};
  }
}

/** The body is over `serve.maxBodyBytes`, as received or once gunzipped (413). */
export class BodyTooLargeError extends RequestError {
  override name = 'BodyTooLargeError';
  constructor(readonly maxBodyBytes: number) {
    super(413, `the body is larger than ${maxBodyBytes} bytes (serve.maxBodyBytes in conf/global.json; gzip bodies count once inflated): send fewer records per request; nothing of this request was stored`);
  }
}

/** A Content-Encoding other than gzip (415). */
export class UnsupportedEncodingError extends RequestError {
  override name = 'UnsupportedEncodingError';
  constructor(encoding: string) {
    super(415, `Content-Encoding '${encoding}' is not supported: send the body plain or gzip-compressed (Content-Encoding: gzip)`);
  }
}

/** A body that cannot be read as sent, e.g. broken gzip (400). */
export class InvalidBodyError extends RequestError {
  override name = 'InvalidBodyError';
  constructor(message: string, options?: ErrorOptions) {
    super(400, message, options);
  }
}

/** The connection closed before the body was complete: the client went, or was cut off (400, though no one is left to hear it: the log is). */
export class ClientGoneError extends RequestError {
  override name = 'ClientGoneError';
  constructor(options?: ErrorOptions) {
    super(
      400,
      'the connection closed before the end of the body (the client went, or took longer than serve.requestTimeoutMs); nothing of this request was stored: send it again',
      options,
    );
  }
}
