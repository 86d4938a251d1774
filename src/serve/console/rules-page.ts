import { time } from './format.ts';
import { html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';

/** `/rules`: the rules `serve` loaded, whether each is disabled or staged, and its latest alert. */
export async function rulesPage(parts: ConsoleParts, frame: PageFrame): Promise<string> {
  const rules = [...parts.rules].sort((a, b) => a.name.localeCompare(b.name));
  const latest = await Promise.all(rules.map(async (rule) => (await parts.store.list({ rule: rule.name, limit: 1 }))[0]?.alert));
  const content = rules.length === 0
    ? html`<p class="muted">No rules loaded.</p>`
    : html`<table><thead><tr><th>rule</th><th>state</th><th>severity</th><th>logs</th><th>outputs</th><th>last alert</th></tr></thead><tbody>
${rules.map((rule, i) => {
  const state = rule.disabled ? 'disabled' : rule.staging ? `staged (to ${rule.staging.outputs.join(', ') || 'no output'})` : 'active';
  const last = latest[i];
  return html`<tr data-rule="${rule.name}"><td>${rule.name}<div class="muted">${rule.file}</div>${rule.description ? html`<div>${rule.description}</div>` : ''}</td><td>${state}</td><td>${rule.severity}</td>
<td>${rule.logs.join(', ')}</td><td>${rule.outputs.join(', ')}${rule.dynamicOutputs.length > 0 ? ' + dynamic' : ''}</td>
<td>${last ? html`<a href="/alerts/${encodeURIComponent(last.id)}">${time(last.created.getTime())}</a>` : html`<span class="muted">none</span>`}</td></tr>`;
})}
</tbody></table>`;
  return layout('Rules', frame, content);
}
