// The console's one script and one stylesheet, kept as text so that the package serves them
// from dist/ as from the sources, with no build step of their own. No framework, no CDN.

/**
 * Confirmations for forms marked data-confirm, and live regions: every 2 s (while the tab is
 * visible) it asks /console/api/changes for the store's change stamp; when the stamp differs
 * from the page's, it fetches the page again and swaps in each [data-live] element by id.
 */
export const CONSOLE_JS = String.raw`'use strict';
document.addEventListener('submit', (event) => {
  const question = event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
(() => {
  const meta = document.querySelector('meta[name="console-stamp"]');
  if (!meta || !document.querySelector('[data-live]')) return;
  let stamp = meta.content;
  let busy = false;
  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const answer = await fetch('/console/api/changes', { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (answer.status === 401) {
        location.assign('/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
        return;
      }
      const changes = await answer.json();
      if (changes.stamp === stamp) return;
      const page = await fetch(location.href, { credentials: 'same-origin' });
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), 'text/html');
      for (const region of fresh.querySelectorAll('[data-live]')) {
        const shown = document.getElementById(region.id);
        if (shown) shown.replaceWith(document.importNode(region, true));
      }
      const freshMeta = fresh.querySelector('meta[name="console-stamp"]');
      stamp = freshMeta ? freshMeta.content : changes.stamp;
      document.documentElement.dataset.stamp = stamp;
    } catch {
      // The server restarting, or the network: the next tick tries again.
    } finally {
      busy = false;
    }
  }
  setInterval(refresh, 2000);
})();
`;

export const CONSOLE_CSS = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; }
body { margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; background: #1b1f24; color: #fff; padding: 0.5rem 1rem; }
header nav a { color: #cfd6df; margin-left: 1rem; text-decoration: none; }
header nav a[aria-current="page"] { color: #fff; border-bottom: 2px solid #56B4E9; }
header form.sign-out span { color: #cfd6df; margin-right: 0.5rem; }
main { padding: 1rem 1.5rem; max-width: 1200px; }
h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
th { background: #eef1f4; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #fff; border: 1px solid #e1e4e8; padding: 0.75rem; overflow: auto; max-height: 32rem; }
.status { display: inline-block; padding: 0 0.4rem; border-radius: 3px; font-size: 0.8rem; font-weight: 600; }
.status-delivered { background: #d3f3e2; color: #075e36; }
.status-pending { background: #fff1c2; color: #6b4e00; }
.status-failed { background: #ffd9d6; color: #8a1208; }
.status-discarded { background: #e5e7ea; color: #444; }
.status-silence-active { background: #e6f3fb; color: #04486e; }
.status-silence-pending { background: #fff1c2; color: #6b4e00; }
.status-silence-expired { background: #e5e7ea; color: #444; }
.suppressed { color: #04486e; font-size: 0.85rem; }
textarea { font-family: monospace; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid #e1e4e8; padding: 0.75rem 1rem; min-width: 10rem; }
.card strong { display: block; font-size: 1.6rem; }
.flash { background: #e6f3fb; border: 1px solid #56B4E9; padding: 0.5rem 0.75rem; }
.problem { color: #8a1208; }
form.inline { display: inline; }
form.filters { display: flex; gap: 0.75rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
form.filters label, form.stacked label { display: flex; flex-direction: column; font-size: 0.85rem; }
form.stacked { display: grid; gap: 0.5rem; max-width: 32rem; }
button { cursor: pointer; }
button.danger { color: #8a1208; }
.chart { background: #fff; border: 1px solid #e1e4e8; margin: 0; padding: 0.5rem; }
.chart > svg { width: 100%; height: auto; }
.legend { margin-right: 1rem; font-size: 0.85rem; white-space: nowrap; }
.muted { color: #5b6470; }
.sign-in { max-width: 26rem; margin: 4rem auto; background: #fff; border: 1px solid #e1e4e8; padding: 1.5rem; }
.sign-in input { width: 100%; box-sizing: border-box; font-family: monospace; }
ol.timeline { padding-left: 1.25rem; }
ol.timeline li { margin-bottom: 0.25rem; }
`;
