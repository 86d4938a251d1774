import { newSilence } from '../../noise/new-silence.ts';
import { formatMatcher, SILENCE_LIMITS, silenceState } from '../../noise/silence.ts';
import { RequestError } from '../errors.ts';
import { form } from './dead-letters.ts';
import { time } from './format.ts';
import { html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';
import type { ConsoleSession } from './sessions.ts';

/** Silences listed (newest first); the CLI lists more. */
const MAX_LISTED = 200;

/** `/silences`: every silence with its state, a form to add one (matchers, duration, comment), and expire buttons (as `silence list|add|expire`). */
export async function silencesPage(parts: ConsoleParts, frame: PageFrame): Promise<string> {
  const now = Date.now();
  const silences = await parts.store.silences(MAX_LISTED);
  const content = html`<h2>Add a silence</h2>
<form method="post" action="/silences/add" class="stacked"><input type="hidden" name="csrf" value="${frame.session.csrf}">
<label>Matchers, one a line: KEY=VALUE, KEY!=VALUE, KEY=~REGEX, KEY!~REGEX (KEY a path in the alert document: rule_name, record.user.name)
<textarea name="matchers" rows="3" required maxlength="${SILENCE_LIMITS.matchers * (SILENCE_LIMITS.nameChars + SILENCE_LIMITS.valueChars + 3)}" placeholder="rule_name=duo_fraud"></textarea></label>
<label>For (90s, 30m, 2h, 7d) <input name="for" required maxlength="20" value="2h"></label>
<label>Starts (ISO 8601; empty: now) <input name="starts" maxlength="40" placeholder="2026-12-01T18:00:00Z"></label>
<label>Comment: why (the ticket, the pen test) <input name="comment" required maxlength="${SILENCE_LIMITS.commentChars}"></label>
<button type="submit">Add silence</button></form>
<h2>Silences</h2>
<div id="silences-live" data-live>
${silences.length === 0
    ? html`<p class="muted">No silences.</p>`
    : html`<table><thead><tr><th>state</th><th>matchers</th><th>starts</th><th>ends</th><th>by</th><th>comment</th><th></th></tr></thead><tbody>
${silences.map((silence) => {
  const state = silenceState(silence, now);
  return html`<tr data-silence="${silence.id}"><td><span class="status status-silence-${state}">${state}</span></td><td>${silence.matchers.map((m) => html`<div><code>${formatMatcher(m)}</code></div>`)}</td>
<td>${time(silence.startsAt)}</td><td>${time(silence.endsAt)}</td><td>${silence.createdBy}</td><td>${silence.comment}</td>
<td>${state === 'expired' ? '' : form(frame, '/silences/expire', { id: silence.id }, 'Expire', 'End this silence now? Alerts it matches are sent again from now on.', 'danger')}</td></tr>`;
})}
</tbody></table>`}
</div>`;
  return layout('Silences', frame, content);
}

/** `POST /silences/add`: the form's silence, made by the signed-in token's holder; the notice says what was added, or what is wrong. */
export async function addSilence(parts: ConsoleParts, session: ConsoleSession, fields: URLSearchParams): Promise<string> {
  const matchers = (fields.get('matchers') ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const starts = fields.get('starts')?.trim();
  let silence;
  try {
    if (matchers.length > SILENCE_LIMITS.matchers) throw new Error(`a silence has at most ${SILENCE_LIMITS.matchers} matchers`);
    silence = newSilence({ matchers, for: fields.get('for') ?? '', comment: (fields.get('comment') ?? '').slice(0, SILENCE_LIMITS.commentChars), ...(starts && { starts }) }, session.holder, Date.now());
  } catch (error) {
    return `The silence was not added: ${(error as Error).message}`;
  }
  await parts.store.addSilence(silence);
  parts.log.info({ holder: session.holder, silence_id: silence.id, matchers }, 'console added a silence');
  return `Added silence ${silence.id}: ${matchers.join(', ')}, until ${new Date(silence.endsAt).toISOString()}.`;
}

/** `POST /silences/expire`: ends the silence now. */
export async function expireSilence(parts: ConsoleParts, session: ConsoleSession, id: string | null): Promise<string> {
  if (!id || id.length > 128) throw new RequestError(400, 'say which silence to expire');
  const expired = await parts.store.expireSilence(id, Date.now());
  if (!expired) throw new RequestError(404, `no silence has the id ${id}`);
  parts.log.info({ holder: session.holder, silence_id: id }, 'console expired a silence');
  return `Expired silence ${id}.`;
}
