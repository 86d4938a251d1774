import { describe, expect, it } from 'vitest';
import { localPath } from '../../src/serve/console/form-body.ts';
import { html } from '../../src/serve/console/html.ts';
import { isConsolePath } from '../../src/serve/console/router.ts';
import { ConsoleSessions, csrfMatches } from '../../src/serve/console/sessions.ts';

describe('the console template', () => {
  it('escapes every value, in text and in attributes, and writes only its own markup as is', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    const inner = html`<b>${name}</b>`;
    expect(html`<a title="${name}">${inner}</a>`.text).toBe(
      '<a title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;"><b>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</b></a>',
    );
    expect(html`${[1, '<', undefined, null, false, 0]}`.text).toBe('1&lt;0');
  });
});

describe('console sessions', () => {
  it('end at their expiry, and past the bound the oldest goes first', () => {
    const sessions = new ConsoleSessions(2, 1_000);
    const first = sessions.create('a', 't', 0);
    const second = sessions.create('b', 't', 10);
    expect(sessions.get(first.id, 999)).toBe(first);
    expect(sessions.get(first.id, 1_000)).toBeUndefined();
    const third = sessions.create('c', 't', 20);
    const fourth = sessions.create('d', 't', 30);
    expect(sessions.size).toBe(2);
    expect(sessions.get(second.id, 40)).toBeUndefined();
    expect([sessions.get(third.id, 40), sessions.get(fourth.id, 40)]).toEqual([third, fourth]);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.csrf).not.toBe(second.csrf);
  });

  it("accept only the session's own CSRF token", () => {
    const sessions = new ConsoleSessions();
    const session = sessions.create('a', 't', 0);
    expect(csrfMatches(session, session.csrf)).toBe(true);
    for (const wrong of [undefined, null, '', `${session.csrf}x`, session.csrf.slice(1), sessions.create('b', 't', 0).csrf]) expect(csrfMatches(session, wrong)).toBe(false);
  });
});

describe('where the console sends a browser back to', () => {
  it('is a path on this server, never another origin', () => {
    expect(localPath('/alerts?rule=x')).toBe('/alerts?rule=x');
    for (const elsewhere of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/a b', '', null]) expect(localPath(elsewhere)).toBeUndefined();
  });

  it('takes the console paths from the API, which keeps its own', () => {
    for (const path of ['/', '/alerts', '/alerts/abc', '/dead-letters', '/sign-in', '/console/api/changes']) expect(isConsolePath(path), path).toBe(true);
    for (const path of ['/healthz', '/metrics', '/v1/records', '/v2/other', '/alertsx']) expect(isConsolePath(path), path).toBe(false);
  });
});
