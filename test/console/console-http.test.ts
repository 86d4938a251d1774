import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, waitUntil } from '../support/cli.ts';
import { findLeaks } from '../support/no-secrets.ts';
import { duoRecord } from '../support/rules-project.ts';
import { startServe, type RunningServe } from '../support/serve.ts';
import { consoleProject, type ConsoleProject } from './project.ts';

const PAGES = ['/', '/alerts', '/alerts?rule=duo_fraud&status=failed&since=1h', '/dead-letters', '/silences', '/outputs', '/rules'];
const FORMS = ['/dead-letters/replay', '/dead-letters/discard', '/silences/add', '/silences/expire', '/outputs/test', '/sign-out'];

describe('the web console over HTTP', () => {
  let project: ConsoleProject;
  let serve: RunningServe;
  let alertId = '';
  const url = (path: string) => `${serve.base}${path}`;
  const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });

  /** Signs in as a browser would: the session cookie's `name=value`, and the Set-Cookie header itself. */
  async function signIn(headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string }> {
    const { body, ...type } = form({ token: project.token, next: '/alerts' });
    const response = await fetch(url('/sign-in'), { method: 'POST', body, headers: { ...type, ...headers }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/alerts');
    const setCookie = response.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0]!, setCookie };
  }

  async function page(path: string, cookie: string): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(url(path), { headers: { cookie }, redirect: 'manual' });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  function csrfOf(html: string): string {
    return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  }

  beforeAll(async () => {
    project = await consoleProject();
    project.slack.respond(() => ({ status: 503, body: 'service_unavailable' }));
    serve = await startServe(project.dir, project.env);
    const posted = await fetch(url('/v1/records?log_type=duo'), { method: 'POST', body: JSON.stringify([duoRecord()]), headers: { authorization: `Bearer ${project.token}` } });
    expect(posted.status).toBe(202);
    // A dead letter, for the dead-letter page and its forms.
    await waitUntil(async () => ((await (await fetch(url('/healthz'))).json()) as { dead_letters: number }).dead_letters === 1);
    const listed = streamalert(['--project', project.dir, 'alerts', 'list', '--json'], { env: project.env });
    alertId = (JSON.parse(listed.stdout) as { id: string }[])[0]!.id;
  });
  afterAll(async () => {
    await serve?.stop();
    await project?.slack.close();
  });

  it('without a session redirects every page to sign-in (saying where to come back), and answers the console API and every form 401', async () => {
    for (const path of [...PAGES, `/alerts/${alertId}`]) {
      const response = await fetch(url(path), { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    expect((await fetch(url('/console/api/changes'))).status).toBe(401);
    for (const path of FORMS) expect((await fetch(url(path), { method: 'POST', ...form({ alert: alertId, output: 'slack:sec-alerts' }) })).status, path).toBe(401);
    // A made-up or ended session is no session.
    expect((await page('/', 'sa_console=forged')).status).toBe(303);
    // The bearer token is for the API: it opens no console page.
    expect((await fetch(url('/'), { headers: { authorization: `Bearer ${project.token}` }, redirect: 'manual' })).status).toBe(303);
  });

  it('signs in with a token into an HttpOnly, SameSite=Strict cookie, Secure behind https; a wrong token gets no cookie', async () => {
    const { setCookie, cookie } = await signIn();
    expect(setCookie).toMatch(/^sa_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect((await page('/', cookie)).status).toBe(200);
    expect((await signIn({ 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure$/);

    const { body, ...type } = form({ token: `${project.token}x` });
    const wrong = await fetch(url('/sign-in'), { method: 'POST', body, headers: type, redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('not a current token');
  });

  it('refuses a POST without the CSRF token, or with another session’s, 403, and changes nothing', async () => {
    const { cookie } = await signIn();
    const { cookie: other } = await signIn();
    const otherCsrf = csrfOf((await page('/dead-letters', other)).text);
    for (const fields of [{}, { csrf: '' }, { csrf: otherCsrf }] as Record<string, string>[]) {
      for (const path of FORMS) {
        const { body, ...type } = form({ ...fields, alert: alertId, output: 'slack:sec-alerts' });
        const response = await fetch(url(path), { method: 'POST', body, headers: { ...type, cookie }, redirect: 'manual' });
        expect(response.status, `${path} ${JSON.stringify(fields)}`).toBe(403);
      }
    }
    // The dead letter is still there, and the session still open.
    expect((await page('/dead-letters', cookie)).text).toContain(`data-alert="${alertId}"`);
  });

  it('acts on a POST with the session’s CSRF token: discard from the dead-letter page, then sign out', async () => {
    const { cookie } = await signIn();
    const csrf = csrfOf((await page('/dead-letters', cookie)).text);
    const { body, ...type } = form({ csrf, alert: alertId, output: 'slack:sec-alerts', back: '//evil.example/' });
    const discarded = await fetch(url('/dead-letters/discard'), { method: 'POST', body, headers: { ...type, cookie }, redirect: 'manual' });
    expect(discarded.status).toBe(303);
    // Never sent to another site.
    expect(discarded.headers.get('location')).toBe('/dead-letters');
    const after = (await page('/dead-letters', cookie)).text;
    expect(after).toContain('Discarded 1 dead letter');
    expect(after).toContain('No dead letters.');
    expect((await page(`/alerts/${alertId}`, cookie)).text).toContain('status-discarded');

    const out = form({ csrf });
    expect((await fetch(url('/sign-out'), { method: 'POST', body: out.body, headers: { 'content-type': out['content-type'], cookie }, redirect: 'manual' })).status).toBe(303);
    expect((await page('/', cookie)).status).toBe(303);
  });

  it('ends the sessions of a revoked token at their next request', async () => {
    const { cookie } = await signIn();
    expect((await page('/rules', cookie)).status).toBe(200);
    const extra = streamalert(['--project', project.dir, 'token', 'create', '--name', 'spare'], { env: project.env });
    const revoked = streamalert(['--project', project.dir, 'token', 'revoke', 'on-call'], { env: project.env });
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await page('/rules', cookie)).status).toBe(303);
    // Put back for the tests after.
    project = { ...project, token: extra.stdout.trim() };
  });

  it('sends every answer with a content security policy that forbids inline script, and writes values as text', async () => {
    const { cookie } = await signIn();
    for (const path of [...PAGES, `/alerts/${alertId}`, '/sign-in']) {
      const { status, text, headers } = await page(path, cookie);
      expect(status, path).toBe(200);
      expect(headers.get('content-security-policy'), path).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
      // The only script is the console's file: no inline script, no handler attributes, no inline style.
      expect(text.match(/<script[^>]*>/g), path).toEqual(['<script src="/console/static/console.js" defer>']);
      expect(text, path).not.toMatch(/\son[a-z]+=|style="/);
    }
    const js = await fetch(url('/console/static/console.js'));
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    // A value with markup in it (here a filter echoed back) is text, never markup.
    const echoed = (await page('/alerts?since=%3Cscript%3Ealert(1)%3C/script%3E', cookie)).text;
    expect(echoed).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(echoed).not.toContain('<script>alert(1)');
  });

  it('shows no rendering of the output’s secret on any page or answer, a test alert’s included', async () => {
    project.slack.respond(() => ({ status: 200, body: 'ok' }));
    const { cookie } = await signIn();
    const texts: Record<string, string> = {};
    for (const path of [...PAGES, `/alerts/${alertId}`, '/console/api/changes', '/sign-in', '/console/static/console.js', '/console/static/console.css']) {
      texts[path] = (await page(path, cookie)).text;
    }
    // Masked as `output get` masks it: where it points, none of the rest.
    expect(texts['/outputs']).toMatch(/url:<\/span> http:\/\/127\.0\.0\.1:\d+\/\*\*\*\*</);
    const csrf = csrfOf(texts['/outputs']!);
    const { body, ...type } = form({ csrf, output: 'slack:sec-alerts' });
    const tested = await fetch(url('/outputs/test'), { method: 'POST', body, headers: { ...type, cookie }, redirect: 'manual' });
    texts['POST /outputs/test'] = `${JSON.stringify([...tested.headers])}${await tested.text()}`;
    texts['/outputs after the test'] = (await page('/outputs', cookie)).text;
    expect(texts['/outputs after the test']).toContain('Test alert to slack:sec-alerts: delivered');
    expect(project.slack.requests.at(-1)!.path).toContain(project.secret);
    expect(findLeaks([project.secret], texts)).toEqual([]);
  });
});
