import { html } from './html.ts';
import { document } from './layout.ts';

/** `/sign-in`: a form taking a token (`streamalert token create`); `next` is where to go after. */
export function signInPage(next: string, options: { problem?: string; noTokens?: boolean } = {}): string {
  return document(
    'Sign in',
    html`<main class="sign-in"><h1>StreamAlert console</h1>
${options.noTokens ? html`<p class="problem">No token exists yet. Create one on the server: <code>streamalert token create --name console</code></p>` : ''}
${options.problem ? html`<p class="problem" role="alert">${options.problem}</p>` : ''}
<form method="post" action="/sign-in" class="stacked"><input type="hidden" name="next" value="${next}">
<label>Token <input type="password" name="token" autocomplete="current-password" required maxlength="200" autofocus></label>
<button type="submit">Sign in</button></form>
<p class="muted">A token of <code>streamalert token create --name NAME</code>. The session lasts 12 hours, or until the token is revoked.</p></main>`,
  );
}
