import type { IncomingMessage } from 'node:http';
import { newSilence, silenceRequestSchema } from '../noise/new-silence.ts';
import { silenceJson } from '../noise/silence.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { requestBody } from './body.ts';
import { RequestError } from './errors.ts';

/** A silence request is a few matchers and a comment: far less than this. */
const MAX_SILENCE_BODY_BYTES = 64 * 1024;

/**
 * `/v1/silences` (authenticated as every route):
 * - `GET /v1/silences[?all=true]`: the active and pending silences (all: expired ones too), newest first;
 * - `POST /v1/silences` with `{"matchers": ["rule_name=duo_fraud"], "for": "2h", "comment": "...", "starts"?: ISO}`:
 *   201 and the silence, created by the token's holder;
 * - `POST /v1/silences/<id>/expire` (or `DELETE /v1/silences/<id>`): 200 and the silence, ended now.
 * Returns undefined for a path that is not one of these.
 *
 * @example
 *   const answer = await handleSilences(request, url, store, 'ci');  // { status: 201, body: { id: '...', state: 'active', ... } }
 */
export async function handleSilences(request: IncomingMessage, url: URL, store: AlertStore, caller: string | undefined): Promise<{ status: number; body: object } | undefined> {
  const now = Date.now();
  if (url.pathname === '/v1/silences') {
    if (request.method === 'GET') {
      const all = url.searchParams.get('all') === 'true';
      const silences = (await store.silences()).map((silence) => silenceJson(silence, now)).filter((silence) => all || silence.state !== 'expired');
      return { status: 200, body: { silences } };
    }
    if (request.method !== 'POST') throw new RequestError(405, 'use GET or POST /v1/silences', { headers: { allow: 'GET, POST' } });
    const parsed = silenceRequestSchema.safeParse(await jsonBody(request));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RequestError(400, `the silence is not valid: ${issue.path.join('.') || 'body'}: ${issue.message} (send {"matchers": ["rule_name=duo_fraud"], "for": "2h", "comment": "why"})`);
    }
    let silence;
    try {
      silence = newSilence(parsed.data, caller ?? 'serve (no token)', now);
    } catch (error) {
      throw new RequestError(400, (error as Error).message);
    }
    await store.addSilence(silence);
    return { status: 201, body: silenceJson(silence, now) };
  }
  const one = /^\/v1\/silences\/([\w-]{1,64})(\/expire)?$/.exec(url.pathname);
  if (!one) return undefined;
  const [, id, expire] = one as unknown as [string, string, string | undefined];
  const allowed = expire ? 'POST' : 'DELETE';
  if (request.method !== allowed) throw new RequestError(405, `use POST /v1/silences/${id}/expire or DELETE /v1/silences/${id}`, { headers: { allow: allowed } });
  const expired = await store.expireSilence(id, now);
  if (!expired) throw new RequestError(404, `no silence has the id ${id} (GET /v1/silences?all=true lists them)`);
  return { status: 200, body: silenceJson(expired, now) };
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of requestBody(request, MAX_SILENCE_BODY_BYTES)) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new RequestError(400, `the body is not JSON (${(error as Error).message})`);
  }
}
