import { toAlertDocument } from '../../alerts/alert.ts';
import { RequestError } from '../errors.ts';
import { nextAttempt, resultText, statusBadge, time } from './format.ts';
import { html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';
import { deadLetterActions } from './dead-letters.ts';
import { describeSuppression } from '../../noise/describe.ts';

/** `/alerts/ID`: one alert as `alerts show` prints it, its record pretty-printed, each delivery's attempts in time order. */
export async function alertPage(parts: ConsoleParts, frame: PageFrame, id: string): Promise<string> {
  const detail = id.length <= 128 ? await parts.store.get(id) : undefined;
  if (!detail) throw new RequestError(404, `no stored alert has the id ${id}`);
  const { alert, deliveries, history } = detail;
  const now = Date.now();
  const document = toAlertDocument(alert);
  const source = [alert.sourceService, alert.sourceEntity, alert.cluster].filter(Boolean).join(' / ');
  const back = `/alerts/${encodeURIComponent(alert.id)}`;

  const content = html`<table class="facts"><tbody>
<tr><th>id</th><td>${alert.id}</td></tr>
<tr><th>rule</th><td><a href="/alerts?rule=${encodeURIComponent(alert.ruleName)}">${alert.ruleName}</a> (${alert.severity})</td></tr>
${alert.ruleDescription ? html`<tr><th>description</th><td>${alert.ruleDescription}</td></tr>` : ''}
<tr><th>created</th><td>${time(alert.created.getTime())}</td></tr>
<tr><th>log</th><td>${alert.logSource}${source ? ` from ${source}` : ''}</td></tr>
${describeSuppression(alert) ? html`<tr><th>suppressed</th><td class="suppressed">${describeSuppression(alert)}</td></tr>` : ''}
${document.staged ? html`<tr><th>staged</th><td>yes: sent only to the staging outputs</td></tr>` : ''}
${Object.keys(alert.context).length > 0 ? html`<tr><th>context</th><td><pre>${JSON.stringify(alert.context, null, 2)}</pre></td></tr>` : ''}
</tbody></table>
<div id="alert-live" data-live>
<h2>Deliveries</h2>
<table><thead><tr><th>output</th><th>status</th><th class="number">attempts</th><th>last result</th><th></th></tr></thead><tbody>
${deliveries.map((d) => html`<tr data-output="${d.output}"><td>${d.output}</td><td>${statusBadge(d.status)}</td><td class="number">${d.attempts}</td><td>${resultText(d.lastResult)} <span class="muted">${nextAttempt(d, now)}</span></td>
<td>${d.status === 'failed' ? deadLetterActions(frame, alert.id, d.output, back) : ''}</td></tr>`)}
</tbody></table>
<h2>Attempts</h2>
${deliveries.map((d) => {
  const attempts = history.filter((a) => a.output === d.output);
  return html`<h3>${d.output}</h3>${attempts.length === 0 ? html`<p class="muted">No attempt yet.</p>` : html`<ol class="timeline">${attempts.map((a) => html`<li>${time(a.at)} ${resultText(a.result)} <span class="muted">(${a.durationMs} ms)</span></li>`)}</ol>`}`;
})}
</div>
<h2>Record</h2>
<pre>${JSON.stringify(alert.record, null, 2)}</pre>`;
  return layout(`Alert ${alert.ruleName}`, frame, content);
}
