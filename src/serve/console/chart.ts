import type { RuleAlertCount } from '../../store/alert-store.ts';
import { html, type Html } from './html.ts';

/** Colours told apart by most kinds of colour vision (Okabe and Ito), then repeated. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const WIDTH = 720;
const HEIGHT = 180;
const AXIS = 28;
/** Rules drawn apart; the rest share one "other rules" colour. */
const MAX_RULES = PALETTE.length - 1;

/**
 * Alerts per rule over time as stacked bars, drawn here as SVG (no script, no library): one
 * bar per bucket from `since` to `now`, a legend of the rules. Colours are presentation
 * attributes, which the content security policy allows (inline style would not be).
 *
 * @example
 *   alertsChart(await store.alertCounts(now - DAY, HOUR), now - DAY, now, HOUR)
 */
export function alertsChart(counts: readonly RuleAlertCount[], since: number, now: number, bucketMs: number): Html {
  const first = Math.floor(since / bucketMs) * bucketMs;
  const buckets = Math.max(1, Math.ceil((now - first) / bucketMs));
  const totals = new Map<string, number>();
  for (const { rule, count } of counts) totals.set(rule, (totals.get(rule) ?? 0) + count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule]) => rule);
  const drawn = ranked.length > MAX_RULES + 1 ? ranked.slice(0, MAX_RULES) : ranked;
  const colourOf = (rule: string) => PALETTE[drawn.indexOf(rule)] ?? PALETTE[PALETTE.length - 1]!;

  const stacks: Map<string, number>[] = Array.from({ length: buckets }, () => new Map());
  for (const { rule, bucketStart, count } of counts) {
    const stack = stacks[Math.floor((bucketStart - first) / bucketMs)];
    if (!stack) continue;
    const key = drawn.includes(rule) ? rule : 'other rules';
    stack.set(key, (stack.get(key) ?? 0) + count);
  }
  const highest = Math.max(1, ...stacks.map((stack) => [...stack.values()].reduce((a, b) => a + b, 0)));
  const barWidth = (WIDTH - AXIS) / buckets;
  const scale = (HEIGHT - 20) / highest;

  const bars = stacks.map((stack, i) => {
    let top = HEIGHT;
    return [...stack.entries()].map(([rule, count]) => {
      const height = count * scale;
      top -= height;
      const start = new Date(first + i * bucketMs).toISOString().slice(11, 16);
      return html`<rect x="${(AXIS + i * barWidth + 1).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${height.toFixed(1)}" fill="${rule === 'other rules' ? PALETTE[PALETTE.length - 1] : colourOf(rule)}"><title>${rule}: ${count} at ${start}Z</title></rect>`;
    });
  });
  const total = counts.reduce((sum, { count }) => sum + count, 0);
  const legend = [...drawn, ...(ranked.length > drawn.length ? ['other rules'] : [])];
  return html`<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT + 16}" role="img" aria-label="${total} alerts in the last ${buckets} buckets, stacked by rule">
<line x1="${AXIS}" y1="${HEIGHT}" x2="${WIDTH}" y2="${HEIGHT}" stroke="#888"/>
<text x="${AXIS - 4}" y="24" text-anchor="end" font-size="11">${highest}</text><text x="${AXIS - 4}" y="${HEIGHT}" text-anchor="end" font-size="11">0</text>
<text x="${AXIS}" y="${HEIGHT + 14}" font-size="11">${new Date(first).toISOString().slice(11, 16)}Z</text><text x="${WIDTH}" y="${HEIGHT + 14}" text-anchor="end" font-size="11">now</text>
${bars}</svg>
<figcaption>${total === 0 ? 'No alerts in this time.' : legend.map((rule) => html`<span class="legend"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="${rule === 'other rules' ? PALETTE[PALETTE.length - 1] : colourOf(rule)}"/></svg> ${rule} (${totals.get(rule) ?? ranked.filter((r) => !drawn.includes(r)).reduce((sum, r) => sum + totals.get(r)!, 0)})</span>`)}</figcaption></figure>`;
}
