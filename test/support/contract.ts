import type { Alert, JsonObject } from '../../src/alerts/alert.ts';
import { AwsClients } from '../../src/aws/clients.ts';
import { HttpClient } from '../../src/outputs/http/client.ts';
import type { OutputBase, OutputContext, Publication } from '../../src/outputs/output.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import type { Secret } from '../../src/secrets/secret.ts';
import { LoopbackReceiver, type ReceivedRequest, type Scripted } from './receiver.ts';
import { ANSWER_TIMEOUT_MS, HANG_TIMEOUT_MS } from './timeouts.ts';
import { motoEndpoint } from './moto.ts';
import { createOutputContext } from '../../src/outputs/context.ts';
import { PooledClients } from '../../src/outputs/pooled-clients.ts';

// The contract every output service passes (test/outputs/contract.test.ts), as unstorage's
// driver suite does for its drivers: one file per service in test/outputs/contract/, named
// <service>.contract.ts, whose default export is a ServiceContract. A registered service without
// one fails the suite.

/**
 * How the vendor behaves on the next dispatches: its documented success, a server failure, a
 * rate limit, a refused credential, no answer at all, or a connection reset.
 */
export const MODES = ['ok', 'server_error', 'rate_limited', 'auth', 'hang', 'reset'] as const;
export type Mode = (typeof MODES)[number];

/** What the suite expects of each failure mode: the shared status table. */
export const EXPECTED: Record<Exclude<Mode, 'ok'>, { kind: 'retry' | 'failed'; reason: string }> = {
  server_error: { kind: 'retry', reason: 'server_error' },
  rate_limited: { kind: 'retry', reason: 'rate_limited' },
  auth: { kind: 'failed', reason: 'auth' },
  hang: { kind: 'retry', reason: 'timeout' },
  reset: { kind: 'retry', reason: 'connection' },
};

/** A service's side of the contract, made by httpContract, awsContract, or by hand. */
export interface ServiceContract {
  readonly service: string;
  /** The vendor's documentation of the request and its answers: what `check` holds the output to. */
  readonly docs: readonly string[];
  /** What a retry after a lost answer does: deduplicated by the vendor (how), or possibly sent twice. */
  readonly idempotency: string;
  /** The modes that cannot apply, each with the reason (a local file has no rate limit). */
  readonly excused?: Partial<Record<Exclude<Mode, 'ok'>, string>>;
  /** Whether it needs moto_server (skipped, as every AWS test is, without it). */
  readonly needsMoto?: boolean;
  /**
   * The rule `context` the service acts on (carbonblack's `{ carbonblack: { action: 'ban', value } }`):
   * the suite's sample alerts carry it, as a rule's alerts do. The test alert of `output test` never does.
   */
  readonly alertContext?: JsonObject;
  harness(): Promise<Harness>;
}

/** A running stand-in for the vendor, and outputs configured against it. */
export interface Harness {
  /** Every credential value configured: none may appear in any result, in any encoding. */
  readonly secrets: readonly string[];
  /** The wait a `rate_limited` answer must carry into the result (its Retry-After), if the vendor gives one. */
  readonly retryAfterMs?: number;
  /** An output configured against the stand-in, which behaves as `mode` from now on. */
  output(mode: Mode): Promise<OutputBase>;
  /** Asserts that what the vendor received for the last `ok` delivery of `alert` is in its documented format. */
  check(alert: Alert, publication: Publication): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP service's contract: the suite runs it against a LoopbackReceiver. */
export interface HttpContractSpec {
  service: string;
  docs: readonly string[];
  idempotency: string;
  /** The output's values for a vendor API at `baseUrl` (the receiver's, e.g. http://127.0.0.1:41234). */
  values(baseUrl: string): Record<string, string | Secret>;
  /** The credential values among them, in plain text. */
  secrets: readonly string[];
  /** The vendor's documented answer to each request of a successful delivery. Default: 200 `{}`. */
  answer?: (request: ReceivedRequest) => Exclude<Scripted, 'hang' | 'reset'>;
  /** Asserts the requests of one delivery (all of them, in order) match the vendor's documented format. */
  check(requests: readonly ReceivedRequest[], alert: Alert, publication: Publication): void;
  /** The vendor's documented answer to a bad or revoked credential. */
  authFailure: { status: number; body?: string | object; headers?: Record<string, string> };
  /** The vendor's documented rate-limit answer. Default: 429 with `Retry-After: 7`. */
  rateLimited?: { status: number; body?: string | object; headers?: Record<string, string>; retryAfterMs?: number };
  /** The vendor's documented server failure. Default: 503. */
  serverError?: { status: number; body?: string | object };
  excused?: ServiceContract['excused'];
  alertContext?: ServiceContract['alertContext'];
}

/**
 * A contract for an HTTP service. Every failure answer echoes the credentials back (plain,
 * URL-encoded, base64), as servers do in error pages, so the suite sees that none survives.
 */
export function httpContract(spec: HttpContractSpec): ServiceContract {
  return {
    service: spec.service,
    docs: spec.docs,
    idempotency: spec.idempotency,
    excused: spec.excused,
    alertContext: spec.alertContext,
    async harness() {
      const receiver = await LoopbackReceiver.start();
      const patient = contextFor({ timeoutMs: ANSWER_TIMEOUT_MS });
      const hasty = contextFor({ timeoutMs: HANG_TIMEOUT_MS });
      const values = spec.values(receiver.url);
      const echo = spec.secrets.flatMap((secret) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
      const withEcho = (body: string | object | undefined): string | object =>
        typeof body === 'object' ? { ...body, echo } : `${body ?? 'error'} ${echo.join(' ')}`;
      const failing = (mode: Exclude<Mode, 'ok'>): Scripted => {
        switch (mode) {
          case 'server_error':
            return { status: spec.serverError?.status ?? 503, body: withEcho(spec.serverError?.body ?? 'service unavailable') };
          case 'rate_limited': {
            const limited = spec.rateLimited ?? { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' };
            return { status: limited.status, headers: limited.headers, body: withEcho(limited.body) };
          }
          case 'auth':
            return { status: spec.authFailure.status, headers: spec.authFailure.headers, body: withEcho(spec.authFailure.body) };
          default:
            return mode;
        }
      };
      return {
        secrets: spec.secrets,
        retryAfterMs: spec.rateLimited ? spec.rateLimited.retryAfterMs : 7_000,
        async output(mode) {
          receiver.requests.length = 0;
          receiver.respond(mode === 'ok' ? (spec.answer ?? (() => ({ status: 200, body: {} }))) : () => failing(mode));
          return createOutput(spec.service, { descriptor: 'contract', values }, mode === 'hang' ? hasty : patient);
        },
        async check(alert, publication) {
          spec.check(receiver.requests, alert, publication);
        },
        async close() {
          await Promise.all([receiver.close(), patient.close(), hasty.close()]);
        },
      };
    },
  };
}

/** The wire protocols of AWS services, which say how an error answer looks. */
export type AwsProtocol = 'json' | 'rest-json' | 'query' | 'rest-xml';

/** An AWS service's contract: delivery against moto_server, failures from a loopback stand-in for AWS. */
export interface AwsContractSpec {
  service: string;
  docs: readonly string[];
  idempotency: string;
  /** The protocol of the API the output calls (https://smithy.io/2.0/aws/protocols/). */
  protocol: AwsProtocol;
  /**
   * Creates the resource on moto; the output's values, and a reader of what arrived there.
   * `endpoint`: where deliveries go instead of moto itself (a RecordingProxy in front of it, for
   * a service moto keeps no record of), and `close` to stop it.
   */
  setup(): Promise<{ values: Record<string, string>; received(): Promise<unknown[]>; endpoint?: string; close?(): Promise<void> }>;
  /** Asserts that what arrived for one delivery of `alert` is what the output should have sent. */
  check(received: readonly unknown[], alert: Alert, publication: Publication): void;
  excused?: ServiceContract['excused'];
}

/** AWS error codes by mode, as each protocol names them. */
const AWS_ERRORS: Record<'server_error' | 'rate_limited' | 'auth', { status: number; code: string; queryCode: string }> = {
  server_error: { status: 500, code: 'InternalFailure', queryCode: 'InternalFailure' },
  rate_limited: { status: 400, code: 'ThrottlingException', queryCode: 'Throttling' },
  auth: { status: 403, code: 'AccessDeniedException', queryCode: 'AccessDenied' },
};

/** An AWS error answer in `protocol`'s shape, which the SDK parses into a named error. */
export function awsErrorAnswer(protocol: AwsProtocol, mode: 'server_error' | 'rate_limited' | 'auth'): Scripted {
  const { status, code, queryCode } = AWS_ERRORS[mode];
  const message = `contract stand-in: ${mode}`;
  switch (protocol) {
    case 'json':
      return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code }, body: JSON.stringify({ __type: code, message }) };
    case 'rest-json':
      return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ message }) };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${queryCode}</Code><Message>${message}</Message></Error><RequestId>contract</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${queryCode === 'Throttling' ? 'SlowDown' : queryCode}</Code><Message>${message}</Message><RequestId>contract</RequestId></Error>`,
      };
  }
}

export function awsContract(spec: AwsContractSpec): ServiceContract {
  return {
    service: spec.service,
    docs: spec.docs,
    idempotency: spec.idempotency,
    excused: spec.excused,
    needsMoto: true,
    async harness() {
      const standIn = await LoopbackReceiver.start();
      const patient = contextFor({ timeoutMs: ANSWER_TIMEOUT_MS, awsEndpoint: standIn.url });
      const hasty = contextFor({ timeoutMs: HANG_TIMEOUT_MS, awsEndpoint: standIn.url });
      const { values, received, endpoint, close } = await spec.setup();
      const moto = contextFor({ timeoutMs: ANSWER_TIMEOUT_MS, awsEndpoint: endpoint ?? motoEndpoint });
      return {
        secrets: [],
        async output(mode) {
          if (mode === 'ok') return createOutput(spec.service, { descriptor: 'contract', values }, moto);
          standIn.respond(() => (mode === 'hang' || mode === 'reset' ? mode : awsErrorAnswer(spec.protocol, mode)));
          return createOutput(spec.service, { descriptor: 'contract', values }, mode === 'hang' ? hasty : patient);
        },
        async check(alert, publication) {
          spec.check(await received(), alert, publication);
        },
        async close() {
          await Promise.all([standIn.close(), moto.close(), patient.close(), hasty.close(), close?.()]);
        },
      };
    },
  };
}

/** An output context of its own (HTTP pools, AWS clients), optionally with every AWS call sent to `awsEndpoint`. */
export function contextFor(options: { timeoutMs: number; awsEndpoint?: string }): OutputContext & { close(): Promise<void> } {
  if (options.awsEndpoint === undefined) return createOutputContext({ timeoutMs: options.timeoutMs });
  const http = new HttpClient({ timeoutMs: options.timeoutMs });
  const aws = new AwsClients({ timeoutMs: options.timeoutMs, endpoint: options.awsEndpoint });
  const pools = new PooledClients();
  return {
    http,
    aws,
    pools,
    projectDir: process.cwd(),
    async close() {
      aws.destroy();
      await Promise.all([http.close(), pools.close()]);
    },
  };
}
