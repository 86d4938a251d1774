import { configuredOutputs } from '../../config/project.ts';
import { parseSince } from '../../cli/format/time.ts';
import { describeSuppression } from '../../noise/describe.ts';
import { ALERT_STATUSES, type AlertStatus, type ListFilter } from '../../store/alert-store.ts';
import { nextAttempt, resultText, statusBadge, time } from './format.ts';
import { html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';

const PAGE_SIZE = 50;
/** Longer filter values are no filter anyone typed: ignored. */
const MAX_FILTER_CHARS = 200;

/** `/alerts?rule=&output=&status=&since=&before=`: stored alerts, newest first, a page at a time (as `alerts list`). */
export async function alertsPage(parts: ConsoleParts, frame: PageFrame, url: URL): Promise<string> {
  const now = Date.now();
  const param = (name: string) => {
    const value = url.searchParams.get(name)?.trim();
    return value && value.length <= MAX_FILTER_CHARS ? value : undefined;
  };
  const status = param('status') as AlertStatus | undefined;
  const rule = param('rule');
  const output = param('output');
  const sinceText = param('since');
  const since = sinceText === undefined ? undefined : parseSince(sinceText, now);
  const before = Number(param('before'));
  const filter: ListFilter = {
    limit: PAGE_SIZE + 1,
    ...(status && ALERT_STATUSES.includes(status) && { status }),
    ...(rule && { rule }),
    ...(output && { output }),
    ...(since !== undefined && { since }),
    ...(Number.isSafeInteger(before) && before > 0 && { until: before }),
  };
  const found = await parts.store.list(filter);
  const shown = found.slice(0, PAGE_SIZE);
  const older = found.length > PAGE_SIZE ? new URLSearchParams([...url.searchParams.entries()].filter(([key]) => key !== 'before')) : undefined;
  older?.set('before', String(shown.at(-1)!.alert.created.getTime()));
  const rules = parts.rules.map((r) => r.name).sort();
  const outputs = configuredOutputs(parts.project.outputs).map((o) => `${o.service}:${o.descriptor}`);

  const content = html`<form class="filters" method="get" action="/alerts">
${select('rule', 'Rule', rules, rule)}${select('output', 'Output', outputs, output)}${select('status', 'Status', ALERT_STATUSES, status)}
<label>Since <input name="since" value="${sinceText ?? ''}" placeholder="1h, 7d, 2026-12-01" size="12"></label>
<button type="submit">Filter</button> <a href="/alerts">clear</a></form>
${sinceText !== undefined && since === undefined ? html`<p class="problem">'since' takes a span such as 30m, 1h or 7d, or a date such as 2026-12-01: not applied.</p>` : ''}
<div id="alerts-live" data-live>
${shown.length === 0
    ? html`<p class="muted">${found.length === 0 && Object.keys(filter).length > 1 ? 'No stored alerts match.' : 'No alerts stored yet.'}</p>`
    : html`<table><thead><tr><th>created</th><th>rule</th><th>alert</th><th>deliveries</th></tr></thead><tbody>
${shown.map(({ alert, deliveries }) => html`<tr data-alert="${alert.id}"><td>${time(alert.created.getTime())}</td><td><a href="/alerts?rule=${encodeURIComponent(alert.ruleName)}">${alert.ruleName}</a></td>
<td><a href="/alerts/${encodeURIComponent(alert.id)}">${alert.id}</a></td>
<td>${deliveries.map((d) => html`<div>${d.output} ${statusBadge(d.status)} <span class="muted">attempts ${d.attempts} ${nextAttempt(d, now)} ${resultText(d.lastResult)}</span></div>`)}${suppressed(alert)}</td></tr>`)}
</tbody></table>`}
</div>
${older ? html`<p><a href="/alerts?${older.toString()}" rel="next">Older alerts →</a></p>` : ''}`;
  return layout('Alerts', frame, content);
}

function select(name: string, label: string, options: readonly string[], chosen: string | undefined) {
  return html`<label>${label} <select name="${name}"><option value="">any</option>${options.map((option) => html`<option${option === chosen ? html` selected` : ''}>${option}</option>`)}</select></label>`;
}

/** Why an alert was stored and not sent (silenced, deduplicated, ...), as `alerts list` says it. */
export function suppressed(alert: Parameters<typeof describeSuppression>[0]) {
  const why = describeSuppression(alert);
  return why ? html`<div class="suppressed">${why}</div>` : '';
}
