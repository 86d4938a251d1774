import { resultText, time } from './format.ts';
import { html, type Html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';

/** Dead letters listed at most (the CLI lists more). */
const MAX_LISTED = 500;

/** `/dead-letters`: every failed delivery, by output, to replay (with a fresh retry budget) or discard. */
export async function deadLettersPage(parts: ConsoleParts, frame: PageFrame): Promise<string> {
  const stored = await parts.store.list({ status: 'failed', limit: MAX_LISTED });
  const byOutput = new Map<string, { alertId: string; rule: string; created: number; result?: string; attempts: number }[]>();
  for (const { alert, deliveries } of stored) {
    for (const d of deliveries) {
      if (d.status !== 'failed') continue;
      const list = byOutput.get(d.output) ?? [];
      list.push({ alertId: alert.id, rule: alert.ruleName, created: alert.created.getTime(), attempts: d.attempts, ...(d.lastResult !== undefined && { result: d.lastResult }) });
      byOutput.set(d.output, list);
    }
  }
  const back = '/dead-letters';
  const content = html`<div id="dead-letters-live" data-live>
${byOutput.size === 0
    ? html`<p class="muted">No dead letters.</p>`
    : [...byOutput.entries()].sort(([a], [b]) => a.localeCompare(b)).map(
        ([output, letters]) => html`<section data-output="${output}"><h2>${output}: ${letters.length} dead letter${letters.length === 1 ? '' : 's'}</h2>
<p>${form(frame, '/dead-letters/replay', { output, back }, `Replay all ${letters.length} for ${output}`, `Replay every dead letter of ${output} now, each with a fresh retry budget?`)}
${form(frame, '/dead-letters/discard', { output, back }, `Discard all for ${output}`, `Give up on every dead letter of ${output} for good? They are never attempted again.`, 'danger')}</p>
<table><thead><tr><th>created</th><th>rule</th><th>alert</th><th class="number">attempts</th><th>last result</th><th></th></tr></thead><tbody>
${letters.map((l) => html`<tr data-alert="${l.alertId}"><td>${time(l.created)}</td><td>${l.rule}</td><td><a href="/alerts/${encodeURIComponent(l.alertId)}">${l.alertId}</a></td><td class="number">${l.attempts}</td><td>${resultText(l.result)}</td><td>${deadLetterActions(frame, l.alertId, output, back)}</td></tr>`)}
</tbody></table></section>`,
      )}
</div>`;
  return layout('Dead letters', frame, content);
}

/** Replay and discard buttons for one dead letter, each asking first. */
export function deadLetterActions(frame: PageFrame, alertId: string, output: string, back: string): Html {
  return html`${form(frame, '/dead-letters/replay', { alert: alertId, output, back }, 'Replay', `Replay this alert to ${output} now, with a fresh retry budget?`)}
${form(frame, '/dead-letters/discard', { alert: alertId, output, back }, 'Discard', `Give up on delivering this alert to ${output} for good?`, 'danger')}`;
}

/** A one-button POST form carrying the session's CSRF token. */
export function form(frame: PageFrame, action: string, fields: Record<string, string>, label: string, confirm: string, className = ''): Html {
  return html`<form class="inline" method="post" action="${action}" data-confirm="${confirm}"><input type="hidden" name="csrf" value="${frame.session.csrf}">${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<button type="submit" class="${className}">${label}</button></form>`;
}
