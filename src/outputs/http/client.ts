import type { Dispatcher, Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { Deadline } from '../deadline.ts';
import { failed, retry, type Failed, type Retry } from '../result.ts';
import { classifyStatus, type StatusOverrides } from './status.ts';
import { parseRetryAfter } from './retry-after.ts';
import { serverText } from './redact.ts';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** The full URL. It may hold a secret (a webhook path): it is never printed whole. */
  url: string;
  headers?: Record<string, string>;
  /** Sent as `application/json` unless a content-type header says otherwise. */
  json?: unknown;
  body?: string;
  /** Credential values to scrub, in every encoding, from any message built from this exchange (a secret URL also in parts). */
  secrets?: readonly string[];
  /** The output's exceptions to the shared status table. */
  statusOverrides?: StatusOverrides;
  /** Skip reading a 2xx body (e.g. Slack's "ok") the output will not look at. */
  ignoreSuccessBody?: boolean;
  /** Verify the server's TLS certificate (default true). Off only by an explicit user setting. */
  verifyTls?: boolean;
  /** The attempt's deadline (Attempt.signal): the request is aborted, as a `timeout`, when it passes. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most MAX_BODY_BYTES of the body, as text. */
  body: string;
}

/** `ok` when the status table says delivered; otherwise the result to return, already classified. */
export type HttpOutcome =
  | { ok: true; response: HttpResponse }
  | { ok: false; result: Retry | Failed; response?: HttpResponse };

/** A parsed request URL, with the parts each request needs. */
interface Target {
  url: URL;
  origin: string;
  path: string;
}

export interface HttpClientOptions {
  /** The deadline of each request, from sending it to the end of its answer's body. */
  timeoutMs?: number;
  /** Keep-alive connections per origin. */
  connectionsPerOrigin?: number;
}

/**
 * The most of any response body that is read. Vendors answer in a few hundred bytes; a server
 * answering with 300 MB (seen: an error page) must not cost the process its memory. The rest
 * is not read: the connection is closed instead.
 */
export const MAX_BODY_BYTES = 64 * 1024;
const MAX_REMEMBERED_URLS = 1000;

/** The two parts of undici the HTTP layer uses. */
export interface Undici {
  readonly Pool: typeof Pool;
  /** `pool.request(options)`. */
  readonly request: (pool: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

let undici: Promise<Undici> | undefined;

/**
 * undici's Pool and request, imported with the first request (commands that send nothing never
 * load them), or ahead of it by a process about to deliver. Their modules alone: undici's index
 * also loads fetch, WebSocket, caches and mocks, about 100 ms at start against 40. Should a
 * release of undici move them, its index is the fallback.
 */
export function loadUndici(): Promise<Undici> {
  undici ??= Promise.all([import('undici/lib/dispatcher/pool.js'), import('undici/lib/api/api-request.js')])
    .then(([{ default: Pool }, { default: request }]): Undici => {
      if (typeof Pool !== 'function' || typeof request !== 'function') throw new TypeError('undici moved its Pool or request module');
      return { Pool, request: (pool, options) => request.call(pool, options) };
    })
    .catch(async () => {
      const { Pool } = await import('undici');
      return { Pool, request: (pool, options) => pool.request(options) };
    });
  return undici;
}

/**
 * The HTTP layer every HTTP output shares: one keep-alive undici Pool per origin, an overall
 * deadline on every request (undici's own timeouts bound only the wait for headers and each gap
 * in the body, so a server trickling its answer would hold a request for ever), bodies read to
 * MAX_BODY_BYTES at most, and one status table. `send` never throws: every outcome is a value,
 * and no message it builds holds a secret or a control character.
 *
 * @example
 *   const outcome = await http.send({ method: 'POST', url, json: payload, secrets: [url] });
 *   if (!outcome.ok) return outcome.result;
 */
export class HttpClient {
  readonly timeoutMs: number;
  readonly #connections: number;
  readonly #pools = new Map<string, Pool>();
  readonly #targets = new Map<string, Target>();

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.#connections = options.connectionsPerOrigin ?? 64;
  }

  async send(request: HttpRequest): Promise<HttpOutcome> {
    const target = this.#target(request.url);
    if (!target) return { ok: false, result: failed('config', 'the configured URL is not a valid URL') };
    const { url } = target;
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return { ok: false, result: failed('config', `unsupported URL scheme ${url.protocol} (use https)`) };
    }
    const deadline = new Deadline(this.timeoutMs, 'request', request.signal);
    let response: HttpResponse;
    try {
      response = await this.#exchange(target, request, deadline.signal);
    } catch (error) {
      const passed = deadline.passed;
      return { ok: false, result: passed ? retry('timeout', `${target.origin} ${passed.message}`) : classifyNetworkError(error, target.origin, this.timeoutMs) };
    } finally {
      deadline.clear();
    }

    const verdict = classifyStatus(response.status, request.statusOverrides);
    if (verdict.kind === 'delivered') return { ok: true, response };

    // Failure path only: the URL's path and query often are the credential (a webhook).
    const snippet = serverText(response.body, request.secrets ?? [], { exact: [request.url, url.pathname + url.search] });
    const message = `${target.origin} answered HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`;
    const result =
      verdict.kind === 'retry'
        ? retry(verdict.reason, message, parseRetryAfter(headerValue(response.headers['retry-after'])))
        : failed(verdict.reason, message);
    return { ok: false, result, response };
  }

  /** Closes every pooled connection; pending requests finish first. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  async #exchange(target: Target, request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    let headers = request.headers;
    let body = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers = { 'content-type': 'application/json', ...headers };
    }
    const { Pool, request: send } = await loadUndici();
    const response = await send(this.#pool(Pool, target.origin, request.verifyTls ?? true), {
      method: request.method ?? (body === undefined ? 'GET' : 'POST'),
      path: target.path,
      headers,
      body,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      signal,
    });
    if (request.ignoreSuccessBody && response.statusCode >= 200 && response.statusCode < 300) {
      // Read to the end (up to the cap) so the connection can be reused. The status is the
      // answer: a body still trickling at the deadline is cut off, and the request stays a success.
      await response.body.dump({ limit: MAX_BODY_BYTES });
      return { status: response.statusCode, headers: response.headers, body: '' };
    }
    return { status: response.statusCode, headers: response.headers, body: await readAtMost(response.body, MAX_BODY_BYTES) };
  }

  /** Parses a URL once: outputs send to the same few again and again (a webhook). */
  #target(text: string): Target | undefined {
    let target = this.#targets.get(text);
    if (target) return target;
    try {
      const url = new URL(text);
      target = { url, origin: url.origin, path: url.pathname + url.search };
    } catch {
      return undefined;
    }
    if (this.#targets.size >= MAX_REMEMBERED_URLS) this.#targets.clear();
    this.#targets.set(text, target);
    return target;
  }

  #pool(PoolClass: typeof Pool, origin: string, verifyTls: boolean): Pool {
    const key = verifyTls ? origin : `${origin} (unverified TLS)`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new PoolClass(origin, {
        connections: this.#connections,
        connect: { timeout: this.timeoutMs, rejectUnauthorized: verifyTls },
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }
}

/**
 * The first `maxBytes` of a body, as text. Past them it stops reading, which destroys the body
 * and closes its connection: draining a huge answer would cost more than a new connection.
 */
async function readAtMost(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk.subarray(0, maxBytes - size));
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  // A multi-byte character cut at the limit decodes as U+FFFD, never as an error.
  return Buffer.concat(chunks).toString('utf8');
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
/** Node's codes for a TLS certificate that failed verification (shared with the SMTP output). */
export const TLS_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Network failures are worth a retry, except a certificate the user must decide about. */
function classifyNetworkError(error: unknown, where: string, timeoutMs: number): Retry | Failed {
  const code = errorCode(error);
  if (TIMEOUT_CODES.has(code)) {
    return retry('timeout', `${where} did not answer within ${timeoutMs} ms`);
  }
  if (TLS_CODES.has(code)) {
    return failed('config', `${where} presented a TLS certificate that could not be verified (${code}); fix the certificate, or turn verification off for this output only if you trust the network path`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return retry('connection', `could not resolve the host of ${where} (${code}); check the URL`);
  }
  return retry('connection', `connection to ${where} failed (${code || 'unknown error'})`);
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  // undici wraps socket errors; the useful code may sit on the cause.
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (typeof code === 'string' && !(current.cause instanceof Error)) return code;
    current = current.cause;
  }
  return '';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
