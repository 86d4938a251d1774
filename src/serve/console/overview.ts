import { healthOf } from '../health.ts';
import { alertsChart } from './chart.ts';
import { age, resultText, statusBadge, time } from './format.ts';
import { html, type Html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';

const HOUR_MS = 3_600_000;
const WINDOW_MS = 24 * HOUR_MS;
const RECENT_ALERTS = 10;

/** `/`: alerts per rule over the last 24 hours, deliveries per output, what is pending and dead-lettered. */
export async function overviewPage(parts: ConsoleParts, frame: PageFrame): Promise<string> {
  const now = Date.now();
  const since = now - WINDOW_MS;
  const [counts, stats, backlog, recent] = await Promise.all([
    parts.store.alertCounts(since, HOUR_MS),
    parts.store.attemptStats(since),
    parts.store.backlog(),
    parts.store.list({ limit: RECENT_ALERTS }),
  ]);
  const health = healthOf(backlog, now, parts.degradedPendingMs);
  const oldest = Math.min(...Object.values(backlog).flatMap(({ oldestPendingAt }) => (oldestPendingAt === undefined ? [] : [oldestPendingAt])));
  const outputs = [...new Set([...Object.keys(stats), ...Object.keys(backlog)])].sort();
  const alertsToday = counts.reduce((sum, { count }) => sum + count, 0);

  const content = html`<div id="overview-live" data-live>
<div class="cards">
${card('Status', health.status, health.status === 'degraded' ? 'problem' : '')}
${card('Alerts, 24 h', String(alertsToday))}
${card('Pending', String(health.pending))}
${card('Dead letters', String(health.dead_letters), health.dead_letters > 0 ? 'problem' : '')}
${card('Oldest pending', Number.isFinite(oldest) ? age(now - oldest) : '–')}
</div>
${health.problems.length > 0 ? html`<ul class="problem">${health.problems.map((problem) => html`<li>${problem}</li>`)}</ul>` : ''}
<h2>Alerts per rule, last 24 hours</h2>
${alertsChart(counts, since, now, HOUR_MS)}
<h2>Deliveries per output, last 24 hours</h2>
${outputs.length === 0
    ? html`<p class="muted">No delivery attempts yet.</p>`
    : html`<table><thead><tr><th>output</th><th class="number">attempts</th><th class="number">delivered</th><th class="number">mean latency</th><th class="number">max latency</th><th class="number">pending</th><th class="number">dead letters</th><th>last result</th></tr></thead><tbody>
${outputs.map((output) => {
  const s = stats[output];
  const b = backlog[output];
  return html`<tr data-output="${output}"><td>${output}</td><td class="number">${s?.attempts ?? 0}</td><td class="number">${s ? `${Math.round((100 * s.delivered) / s.attempts)} %` : '–'}</td>
<td class="number">${s ? `${s.meanDurationMs} ms` : '–'}</td><td class="number">${s ? `${s.maxDurationMs} ms` : '–'}</td>
<td class="number">${b?.pending ?? 0}</td><td class="number">${b?.failed ? html`<a href="/dead-letters">${b.failed}</a>` : 0}</td><td>${s ? html`${time(s.lastAt)} ${resultText(s.lastResult)}` : ''}</td></tr>`;
})}
</tbody></table>`}
<h2>Latest alerts</h2>
${recentTable(recent)}
</div>`;
  return layout('Overview', frame, content);
}

function card(label: string, value: string, className = ''): Html {
  return html`<div class="card ${className}"><span class="muted">${label}</span><strong>${value}</strong></div>`;
}

function recentTable(recent: Awaited<ReturnType<ConsoleParts['store']['list']>>): Html {
  if (recent.length === 0) return html`<p class="muted">No alerts stored yet.</p>`;
  return html`<table><thead><tr><th>created</th><th>rule</th><th>deliveries</th></tr></thead><tbody>
${recent.map(({ alert, deliveries }) => html`<tr><td><a href="/alerts/${encodeURIComponent(alert.id)}">${time(alert.created.getTime())}</a></td><td>${alert.ruleName}</td><td>${deliveries.map((d) => html`${d.output} ${statusBadge(d.status)} `)}</td></tr>`)}
</tbody></table>`;
}
