import { DeadlineError } from '../outputs/errors.ts';
import { serverText } from '../outputs/http/redact.ts';
import { failed, retry, type Failed, type Retry } from '../outputs/result.ts';

/** Error names AWS uses for "slow down"; all are worth a retry. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'KMSAccessDeniedException',
]);

const NOT_FOUND = new Set(['NoSuchBucket', 'ResourceNotFoundException', 'NotFound', 'NoSuchKey']);

// RequestTooLargeException is Lambda Invoke's (HTTP 413): https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html#API_Invoke_Errors
const TOO_LARGE = new Set(['RequestEntityTooLargeException', 'RequestTooLargeException', 'EntityTooLarge']);

/** Transient states of a Lambda function or of the network between us and AWS. */
const TRANSIENT = new Set([
  'ResourceNotReadyException',
  'ResourceConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'NetworkingError',
]);

/** Socket error codes of a connection refused or broken, as opposed to one that went quiet. */
const BROKEN_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  retryAfterSeconds?: string | number;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Classifies an AWS SDK v3 error: throttling, 5xx, network trouble and a deadline that passed
 * (AwsClients.call) retry; a missing resource, denied access or an oversized payload fail.
 * `resource` names what was addressed (e.g. "S3 bucket acme-alerts") so the message says which
 * one. The service's message is kept as any server text is (`serverText`): control characters
 * removed, bounded.
 */
export function classifyAwsError(error: unknown, resource: string): Retry | Failed {
  if (error instanceof DeadlineError) return retry('timeout', `${resource} ${error.message}`);
  const shape = (error ?? {}) as AwsErrorShape;
  const name = shape.name ?? shape.code ?? 'UnknownError';
  const status = shape.$metadata?.httpStatusCode;
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${serverText(shape.message ?? 'no message', [])}`;

  if (name === 'CredentialsProviderError') {
    return failed('auth', `no AWS credentials were found for ${resource}: set them up as the AWS SDK expects (environment, ~/.aws, or an IAM role): ${detail}`);
  }
  if (THROTTLING.has(name) || status === 429) {
    const seconds = Number(shape.retryAfterSeconds);
    return retry('rate_limited', `AWS throttled requests to ${resource}: ${detail}`, Number.isFinite(seconds) ? seconds * 1000 : undefined);
  }
  if (NOT_FOUND.has(name) || status === 404) {
    return failed('not_found', `${resource} does not exist or is in another region/account: ${detail}`);
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return failed('auth', `access to ${resource} was denied; check the IAM policy and credentials: ${detail}`);
  }
  if (TOO_LARGE.has(name) || status === 413) {
    return failed('too_large', `the payload is too large for ${resource}: ${detail}`);
  }
  const brokenConnection = BROKEN_CONNECTION_CODES.has(shape.code ?? '');
  if (TRANSIENT.has(name) || brokenConnection) {
    // The SDK renames a reset socket's error to TimeoutError; its code says what really happened.
    const reason = name.includes('Timeout') && !brokenConnection ? 'timeout' : 'connection';
    const code = shape.code && shape.code !== name ? ` [${shape.code}]` : '';
    return retry(reason, `${resource} could not be reached: ${detail}${code}`);
  }
  if (status === undefined || status >= 500) {
    return retry('server_error', `AWS failed the request to ${resource}: ${detail}`);
  }
  return failed('client_error', `AWS rejected the request to ${resource}: ${detail}`);
}
