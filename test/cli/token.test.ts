import { describe, expect, it } from 'vitest';
import { streamalert } from '../support/cli.ts';
import { SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

describe('streamalert token', () => {
  const env = isolatedEnv();
  const dir = tempProject({ ...SCHEMAS });
  const run = (...args: string[]) => streamalert(['--project', dir, 'token', ...args], { env });

  it('create prints the token alone on standard output, once; list shows names and times, never any part of a token; revoke removes it', () => {
    const created = run('create', '--name', 'ci');
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sat_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('not shown again');

    const listed = run('list');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ci +created \d{4}-\d\d-\d\dT/);
    const json = run('list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([{ name: 'ci', created: expect.any(String) }]);
    for (const part of [token.slice(4, 10), token.slice(-4)]) expect(`${listed.stdout}${json.stdout}`).not.toContain(part);

    expect(run('revoke', 'ci').status).toBe(0);
    expect(run('list').stdout).toContain('No tokens yet');
  });

  it('exits 2 with the fix for a name taken, a bad name, or revoking a token that does not exist', () => {
    expect(run('create', '--name', 'taken').status).toBe(0);
    const again = run('create', '--name', 'taken');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("a token named 'taken' exists already");
    expect(again.stdout).toBe('');
    expect(run('create', '--name', 'a:b').status).toBe(2);
    const missing = run('revoke', 'nobody');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no token named 'nobody' (see 'streamalert token list')");
  });
});
