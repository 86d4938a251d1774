import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../errors.ts';
import { alertPage } from './alert-page.ts';
import { alertsPage } from './alerts-page.ts';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.ts';
import { deadLettersPage } from './dead-letters.ts';
import { localPath, readForm } from './form-body.ts';
import type { PageFrame } from './layout.ts';
import { outputsPage } from './outputs-page.ts';
import { overviewPage } from './overview.ts';
import type { ConsoleParts } from './parts.ts';
import { rulesPage } from './rules-page.ts';
import { csrfMatches, SESSION_COOKIE, type ConsoleSession } from './sessions.ts';
import { signInPage } from './sign-in-page.ts';
import { addSilence, expireSilence, silencesPage } from './silences-page.ts';
import { changeStamp } from './stamp.ts';
import { sendTestAlert } from './test-alert.ts';

/** On every console answer: no inline script or style, no framing, nothing cached or referred. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The console's pages and their actions; any other path stays the API's (a 404 in JSON there). */
const CONSOLE_PATHS = /^\/(?:|sign-in|sign-out|alerts|dead-letters|outputs|rules|silences|console)(?:\/.*)?$/;

/** Whether the console answers `pathname` (`/`, `/alerts/...`, `/console/...`), not the API. */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/' || CONSOLE_PATHS.test(pathname);
}

/**
 * The web console (`GET /` and the pages under it): sign-in with a token makes a session
 * cookie; without one every page redirects to /sign-in and /console/api/ answers 401; every
 * POST carries the session's CSRF token or is refused 403.
 */
export async function handleConsole(request: IncomingMessage, response: ServerResponse, url: URL, parts: ConsoleParts): Promise<void> {
  const path = url.pathname;
  if (path === '/console/static/console.js') return asset(request, response, url, 'text/javascript; charset=utf-8', CONSOLE_JS);
  if (path === '/console/static/console.css') return asset(request, response, url, 'text/css; charset=utf-8', CONSOLE_CSS);
  if (path === '/sign-in') return signIn(request, response, url, parts);

  const session = currentSession(request, parts);
  if (!session) {
    if (request.method === 'GET' && !path.startsWith('/console/api/')) return redirect(response, `/sign-in?next=${encodeURIComponent(path + url.search)}`);
    throw new RequestError(401, 'sign in to the console first (/sign-in), with a token of streamalert token create');
  }
  if (request.method === 'POST') {
    const form = await readForm(request);
    if (!csrfMatches(session, form.get('csrf'))) throw new RequestError(403, 'the form carries no valid CSRF token (a stale page, or a request from another site): reload the page and try again');
    return act(response, path, form, session, parts);
  }
  expectGet(request, url);
  if (path === '/console/api/changes') return send(response, 200, 'application/json', `${JSON.stringify({ stamp: await changeStamp(parts.store) })}\n`);
  const frame: PageFrame = { session, path, stamp: await changeStamp(parts.store) };
  const alert = /^\/alerts\/([^/]+)$/.exec(path);
  const page =
    path === '/' ? await overviewPage(parts, frame)
    : path === '/alerts' ? await alertsPage(parts, frame, url)
    : alert ? await alertPage(parts, frame, decodeURIComponent(alert[1]!))
    : path === '/dead-letters' ? await deadLettersPage(parts, frame)
    : path === '/outputs' ? await outputsPage(parts, frame)
    : path === '/rules' ? await rulesPage(parts, frame)
    : path === '/silences' ? await silencesPage(parts, frame)
    : undefined;
  if (page === undefined) throw new RequestError(404, `not found: ${path} (console pages: /, /alerts, /dead-letters, /outputs, /rules, /silences)`);
  send(response, 200, 'text/html; charset=utf-8', page);
}

/** The session the request's cookie names, while it lasts and its token is still current (a revoke ends it). */
function currentSession(request: IncomingMessage, parts: ConsoleParts): ConsoleSession | undefined {
  const session = parts.sessions.get(cookie(request, SESSION_COOKIE), Date.now());
  if (!session) return undefined;
  if (parts.tokens.list().some((token) => token.name === session.holder && token.created === session.tokenCreated)) return session;
  parts.sessions.end(session.id);
  return undefined;
}

async function signIn(request: IncomingMessage, response: ServerResponse, url: URL, parts: ConsoleParts): Promise<void> {
  if (request.method !== 'POST') {
    expectGet(request, url);
    return send(response, 200, 'text/html; charset=utf-8', signInPage(localPath(url.searchParams.get('next')) ?? '/', { noTokens: !parts.tokens.any() }));
  }
  const form = await readForm(request);
  const next = localPath(form.get('next')) ?? '/';
  const presented = form.get('token')?.trim() ?? '';
  const holder = presented === '' || presented.length > 200 ? undefined : parts.tokens.holderOf(presented);
  const token = holder === undefined ? undefined : parts.tokens.list().find((t) => t.name === holder);
  if (!token) {
    parts.log.warn({ path: '/sign-in', remote: request.socket.remoteAddress }, 'console sign-in refused: not a current token');
    return send(response, 401, 'text/html; charset=utf-8', signInPage(next, { problem: 'That is not a current token (revoked, or mistyped): streamalert token list shows the current ones.', noTokens: !parts.tokens.any() }));
  }
  const session = parts.sessions.create(token.name, token.created, Date.now());
  parts.log.info({ holder: token.name, remote: request.socket.remoteAddress }, 'console signed in');
  const secure = isHttps(request) ? '; Secure' : '';
  response.setHeader('set-cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(parts.sessions.ttlMs / 1000)}${secure}`);
  redirect(response, next);
}

/** The console's state-changing requests, each answered with a redirect back and a one-line notice. */
async function act(response: ServerResponse, path: string, form: URLSearchParams, session: ConsoleSession, parts: ConsoleParts): Promise<void> {
  const alertId = form.get('alert') || undefined;
  const output = form.get('output') || undefined;
  const back = localPath(form.get('back'));
  switch (path) {
    case '/sign-out':
      parts.sessions.end(session.id);
      response.setHeader('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return redirect(response, '/sign-in');
    case '/dead-letters/replay': {
      if (alertId === undefined && output === undefined) throw new RequestError(400, 'say what to replay: an alert, an output, or both');
      const queued = await parts.store.requeue(alertId !== undefined ? { alertId, ...(output && { output }) } : { failed: true, output: output! }, Date.now());
      void parts.engine.pump().catch((error: unknown) => parts.log.error({ error: (error as Error).message }, 'could not claim the replayed deliveries; will try again'));
      parts.log.info({ holder: session.holder, alert_id: alertId, output, queued }, 'console replayed dead letters');
      session.flash = queued === 0 ? 'Nothing to replay: it was delivered, discarded or replayed already.' : `Replayed ${queued} deliver${queued === 1 ? 'y' : 'ies'}, each with a fresh retry budget.`;
      return redirect(response, back ?? '/dead-letters');
    }
    case '/dead-letters/discard': {
      if (alertId === undefined && output === undefined) throw new RequestError(400, 'say what to discard: an alert, an output, or both');
      const discarded = await parts.store.discard({ ...(alertId && { alertId }), ...(output && { output }) });
      parts.log.info({ holder: session.holder, alert_id: alertId, output, discarded }, 'console discarded dead letters');
      session.flash = `Discarded ${discarded} dead letter${discarded === 1 ? '' : 's'}: never attempted again.`;
      return redirect(response, back ?? '/dead-letters');
    }
    case '/outputs/test': {
      if (output === undefined) throw new RequestError(400, 'say which output to test');
      session.flash = await sendTestAlert(parts, output);
      parts.log.info({ holder: session.holder, output }, 'console sent a test alert');
      return redirect(response, '/outputs');
    }
    case '/silences/add':
      session.flash = await addSilence(parts, session, form);
      return redirect(response, '/silences');
    case '/silences/expire':
      session.flash = await expireSilence(parts, session, form.get('id'));
      return redirect(response, '/silences');
    default:
      throw new RequestError(404, `not found: POST ${path}`);
  }
}

function asset(request: IncomingMessage, response: ServerResponse, url: URL, type: string, text: string): void {
  expectGet(request, url);
  send(response, 200, type, text);
}

function expectGet(request: IncomingMessage, url: URL): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw new RequestError(405, `use GET ${url.pathname}`, { headers: { allow: 'GET' } });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...CONSOLE_HEADERS, 'content-type': type }).end(body);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { ...CONSOLE_HEADERS, location }).end();
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Served over TLS, or behind a TLS proxy that says so: only then may the cookie be Secure (a browser drops a Secure cookie over plain HTTP). */
function isHttps(request: IncomingMessage): boolean {
  return (request.socket as { encrypted?: boolean }).encrypted === true || request.headers['x-forwarded-proto'] === 'https';
}
