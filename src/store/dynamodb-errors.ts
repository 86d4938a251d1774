import { StoreError } from './errors.ts';

/** What a DynamoDB failure means for the user: the message after the table, and whether it is a setup problem. */
interface Meaning {
  describe: (said: string) => string;
  setup: boolean;
}

const RETRY = "run 'streamalert alerts retry'";
const THROTTLED: Meaning = { setup: false, describe: (said) => `is throttled (${said}) even after the SDK's retries; pending deliveries stay stored: ${RETRY} later` };
const UNREACHABLE: Meaning = { setup: false, describe: (said) => `cannot be reached (${said}); check the network and the DynamoDB endpoint, then ${RETRY}` };

/**
 * The failures a user can act on, by the SDK's error name or Node's network code
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
 * Others (a conditional check that failed, a table not found) are the store's own to handle.
 */
const MEANINGS: Record<string, Meaning> = {
  ProvisionedThroughputExceededException: THROTTLED,
  ThrottlingException: THROTTLED,
  RequestLimitExceeded: THROTTLED,
  AccessDeniedException: { setup: true, describe: (said) => `may not be used with these credentials (${said}); grant the IAM actions listed in docs/delivery.md` },
  UnrecognizedClientException: { setup: true, describe: (said) => `refused the credentials (${said}); check the AWS credentials and region` },
  ExpiredTokenException: { setup: true, describe: (said) => `refused the credentials (${said}); refresh the AWS session` },
  ECONNREFUSED: UNREACHABLE,
  ENOTFOUND: UNREACHABLE,
  ETIMEDOUT: UNREACHABLE,
};

/**
 * The StoreError for a failure the SDK reports on `table`, naming it, its region and the fix;
 * an error with no meaning here is returned as it is.
 *
 * @example
 *   dynamoDbStoreError('streamalert_streamalert_alerts', 'us-east-1', error).message
 *   // "the alert store streamalert_streamalert_alerts (DynamoDB, us-east-1) may not be used with these credentials (AccessDeniedException: ...); grant ..."
 */
export function dynamoDbStoreError(table: string, region: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code ?? error.name;
  const meaning = MEANINGS[code] ?? MEANINGS[error.name];
  if (!meaning) return error;
  // Node's network errors say their code already: "connect ECONNREFUSED 127.0.0.1:8000".
  const said = error.message.includes(code) ? error.message : `${code}: ${error.message}`;
  return new StoreError(`the alert store ${table} (DynamoDB, ${region}) ${meaning.describe(said)}`, { location: table, code, setup: meaning.setup, cause: error });
}
