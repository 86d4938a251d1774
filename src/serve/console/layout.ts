import { html, type Html } from './html.ts';
import type { ConsoleSession } from './sessions.ts';

/** What every signed-in page needs besides its own content. */
export interface PageFrame {
  readonly session: ConsoleSession;
  /** The request's path, to mark the current page in the navigation. */
  readonly path: string;
  /** The store's change stamp when the page was drawn: console.js refreshes the live regions when it changes. */
  readonly stamp?: string;
}

const PAGES = [
  ['/', 'Overview'],
  ['/alerts', 'Alerts'],
  ['/dead-letters', 'Dead letters'],
  ['/silences', 'Silences'],
  ['/outputs', 'Outputs'],
  ['/rules', 'Rules'],
] as const;

/**
 * A whole console page: navigation, the one-time notice, the content, and the one script
 * (no inline script: the content security policy forbids it).
 */
export function layout(title: string, frame: PageFrame, content: Html): string {
  const flash = frame.session.flash;
  frame.session.flash = undefined;
  return document(
    title,
    html`<header><nav><strong>StreamAlert</strong>${PAGES.map(([href, label]) => html`<a href="${href}"${current(frame.path, href) ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
<form method="post" action="/sign-out" class="sign-out"><input type="hidden" name="csrf" value="${frame.session.csrf}"><span>${frame.session.holder}</span> <button type="submit">Sign out</button></form></header>
<main>${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}<h1>${title}</h1>${content}</main>`,
    frame.stamp,
  );
}

/** A page around `body`, signed in or not. */
export function document(title: string, body: Html, stamp?: string): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · StreamAlert</title>${stamp !== undefined ? html`<meta name="console-stamp" content="${stamp}">` : ''}
<link rel="stylesheet" href="/console/static/console.css"><script src="/console/static/console.js" defer></script></head>
<body>${body}</body></html>
`.text;
}

function current(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}
