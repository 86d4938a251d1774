import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describeError } from '../observability/describe-error.ts';
import type { ServeTokens } from './tokens.ts';
import { authenticate } from './auth.ts';
import type { ServeConfig } from './config.ts';
import { RequestError } from './errors.ts';
import { healthOf } from './health.ts';
import { acceptRecords, type RecordsParts } from './records.ts';
import { handleSilences } from './silences.ts';
import type { ConsoleParts } from './console/parts.ts';
import { handleConsole, isConsolePath } from './console/router.ts';

/** Headers are small: a client that takes longer than this to send them is stalling (slowloris). */
const HEADERS_TIMEOUT_MS = 10_000;
/** An idle keep-alive connection is closed after this. */
const IDLE_TIMEOUT_MS = 5_000;
/** What a 503 (too many requests in progress) asks the client to wait. */
const RETRY_AFTER_SECONDS = 1;

export interface RecordServerParts extends Omit<RecordsParts, 'maxBodyBytes'> {
  readonly config: ServeConfig;
  readonly tokens: ServeTokens;
  /** Whether a token is needed even while none exists: when listening beyond loopback. */
  readonly tokenAlwaysRequired: boolean;
  /** The web console at `/` (src/serve/console): its pages need a session, made by signing in with a token. */
  readonly console?: ConsoleParts;
}

/**
 * The HTTP front of `streamalert serve`:
 * - `POST /v1/records[?log_type=T]`: records in (see acceptRecords); 202 once the alerts are stored.
 * - `GET /metrics`: Prometheus text (see ServeMetrics).
 * - `/v1/silences`: list, add and expire silences (see handleSilences).
 * - `GET /healthz`: `ok`, or `degraded` with the reasons (see healthOf); always 200, and the
 *   only route that needs no token.
 * Safe to expose: bearer tokens, a body limit, header and request timeouts, and a bound on
 * requests in progress (503 with Retry-After past it). Every refused request is logged.
 *
 * @example
 *   const server = createRecordServer({ pipeline, store, engine, metrics, log, config, input, tokens, tokenAlwaysRequired: false });
 *   server.listen(8080, '127.0.0.1');
 */
export function createRecordServer(parts: RecordServerParts): Server {
  const { config, store, metrics, log } = parts;
  const records: RecordsParts = { ...parts, maxBodyBytes: config.maxBodyBytes };
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, config.requestTimeoutMs);
  let inProgress = 0;

  return createServer(
    {
      headersTimeout,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: IDLE_TIMEOUT_MS,
      // How often node enforces the two timeouts above (default 30 s, longer than they may be).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => refuse(request, response, error));
    },
  );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://streamalert');
    if (url.pathname === '/healthz') {
      expectMethod(request, 'GET', url);
      return reply(response, 200, healthOf(await store.backlog(), Date.now(), config.degradedPendingMs));
    }
    // The console checks its own session cookie; the API a bearer token.
    const consoleRoute = parts.console !== undefined && isConsolePath(url.pathname);
    const caller = consoleRoute ? undefined : authenticate(request, parts.tokens, parts.tokenAlwaysRequired);
    if (inProgress >= config.maxConcurrentRequests) {
      throw new RequestError(503, `busy: ${config.maxConcurrentRequests} requests in progress (serve.maxConcurrentRequests); retry after ${RETRY_AFTER_SECONDS} s`, {
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      });
    }
    inProgress++;
    response.once('close', () => inProgress--);
    if (consoleRoute) return handleConsole(request, response, url, parts.console!);
    if (url.pathname === '/metrics') {
      expectMethod(request, 'GET', url);
      response.writeHead(200, { 'content-type': metrics.contentType }).end(await metrics.render());
      return;
    }
    if (url.pathname === '/v1/records') {
      expectMethod(request, 'POST', url);
      return reply(response, 202, await acceptRecords(request, url, records, caller));
    }
    if (url.pathname.startsWith('/v1/silences')) {
      const answer = await handleSilences(request, url, store, caller);
      if (answer) return reply(response, answer.status, answer.body);
    }
    throw new RequestError(404, `not found: ${url.pathname} (routes: POST /v1/records, GET|POST /v1/silences, POST /v1/silences/ID/expire, GET /metrics, GET /healthz; the console at GET /)`);
  }

  /** Answers a failed request with a JSON error, and logs it: a server error, or a request refused. */
  function refuse(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const status = error instanceof RequestError ? error.status : 500;
    const message = error instanceof Error ? error.message : describeError(error);
    const path = new URL(request.url ?? '/', 'http://streamalert').pathname;
    log[status >= 500 && status !== 503 ? 'error' : 'warn']({ method: request.method, path, status, remote: request.socket.remoteAddress }, `request refused: ${message}`);
    if (response.headersSent) return void response.destroy();
    // A body left unread would stall the connection: discard the rest, so the client hears the answer.
    if (!request.complete) request.resume();
    reply(response, status, { error: message }, error instanceof RequestError ? error.headers : {});
  }
}

function expectMethod(request: IncomingMessage, method: 'GET' | 'POST', url: URL): void {
  if (request.method !== method) throw new RequestError(405, `use ${method} ${url.pathname}`, { headers: { allow: method } });
}

function reply(response: ServerResponse, status: number, body: object, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
