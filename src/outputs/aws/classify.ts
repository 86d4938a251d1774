import { failed, retry, type Failed, type Retry } from '../result.ts';

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

const TOO_LARGE = new Set(['RequestEntityTooLargeException', 'EntityTooLarge']);

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

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  retryAfterSeconds?: string | number;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Classifies an AWS SDK v3 error: throttling, 5xx and network trouble retry; a missing
 * resource, denied access or an oversized payload fail. `resource` names what was addressed
 * (e.g. "S3 bucket acme-alerts") so the message says which one.
 */
export function classifyAwsError(error: unknown, resource: string): Retry | Failed {
  const shape = (error ?? {}) as AwsErrorShape;
  const name = shape.name ?? shape.code ?? 'UnknownError';
  const status = shape.$metadata?.httpStatusCode;
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${shape.message ?? 'no message'}`;

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
  if (TRANSIENT.has(name) || shape.code === 'ECONNREFUSED' || shape.code === 'ECONNRESET') {
    return retry(name.includes('Timeout') ? 'timeout' : 'connection', `${resource} could not be reached: ${detail}`);
  }
  if (status === undefined || status >= 500) {
    return retry('server_error', `AWS failed the request to ${resource}: ${detail}`);
  }
  return failed('client_error', `AWS rejected the request to ${resource}: ${detail}`);
}
