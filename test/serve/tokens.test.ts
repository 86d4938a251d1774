import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { ServeTokens, TOKEN_PREFIX } from '../../src/serve/tokens.ts';
import { tempDir } from '../support/secrets.ts';

describe('ServeTokens', () => {
  it('makes a long random token with its prefix, and stores only its hash, in a file only its owner can read', () => {
    const tokens = new ServeTokens(tempDir());
    const token = tokens.create('ci', new Date('2024-05-14T09:12:44Z'));
    expect(token).toMatch(new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    const stored = readFileSync(tokens.path, 'utf8');
    expect(stored).not.toContain(token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 8));
    expect(JSON.parse(stored)).toEqual({ tokens: [{ name: 'ci', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), created: '2024-05-14T09:12:44.000Z' }] });
    expect(statSync(tokens.path).mode & 0o777).toBe(0o600);
    expect(tokens.create('other')).not.toBe(token);
  });

  it('accepts its tokens and nothing else', () => {
    const tokens = new ServeTokens(tempDir());
    const token = tokens.create('ci');
    expect(tokens.accepts(token)).toBe(true);
    expect(tokens.accepts(`${token}x`)).toBe(false);
    expect(tokens.accepts(token.slice(0, -1))).toBe(false);
    expect(tokens.accepts('')).toBe(false);
  });

  it("names the holder of a token (stamped on the alerts of its records as their source), and of no other", () => {
    const tokens = new ServeTokens(tempDir());
    const ci = tokens.create('ci');
    const ingest = tokens.create('ingest');
    expect([tokens.holderOf(ci), tokens.holderOf(ingest), tokens.holderOf(`${ci}x`)]).toEqual(['ci', 'ingest', undefined]);
  });

  it('sees a revoke made by another process (another instance) at its next check, without a restart', () => {
    const dir = tempDir();
    const server = new ServeTokens(dir);
    const token = new ServeTokens(dir).create('ci');
    expect(server.accepts(token)).toBe(true);
    expect(new ServeTokens(dir).revoke('ci')).toBe(true);
    expect(server.accepts(token)).toBe(false);
    expect(server.any()).toBe(false);
  });

  it('lists names and creation times only', () => {
    const tokens = new ServeTokens(tempDir());
    tokens.create('ci', new Date('2024-05-14T09:12:44Z'));
    expect(tokens.list()).toEqual([{ name: 'ci', created: '2024-05-14T09:12:44.000Z' }]);
  });

  it('refuses a second token of one name, and a name that cannot be typed safely', () => {
    const tokens = new ServeTokens(tempDir());
    tokens.create('ci');
    expect(() => tokens.create('ci')).toThrow(/a token named 'ci' exists already.*token revoke ci/);
    expect(() => tokens.create('has space')).toThrow(ConfigError);
    expect(tokens.revoke('nobody')).toBe(false);
  });

  it('fails closed on a damaged tokens file, saying what to do', () => {
    const tokens = new ServeTokens(tempDir());
    tokens.create('ci');
    writeFileSync(tokens.path, '{"tokens": [{"name": "ci"}]}');
    expect(() => tokens.any()).toThrow(/tokens\.json is not valid: tokens\.0\.sha256.*streamalert token create/);
  });
});
