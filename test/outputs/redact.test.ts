import { describe, expect, it } from 'vitest';
import { scrub, serverText, SNIPPET_CHARS } from '../../src/outputs/http/redact.ts';
import { findLeaks } from '../support/no-secrets.ts';

const KEY = 'R0utingKey4c1f9e0b7d2a6e3f5c8b1d0a';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WEBHOOK_TOKENS = ['T0A1B2C3D4', 'B9F8E7D6C5', 'Xq4mP2zR8sK1vN6wT3yL0cHj'];

/** How servers have been seen to echo a request: each way must come out scrubbed. */
const ECHOES: Record<string, (text: string) => string> = {
  'as sent': (text) => text,
  'JSON-escaped, slashes too (PHP json_encode)': (text) => JSON.stringify(text).replaceAll('/', '\\/'),
  'URL-encoded (%2F)': (text) => encodeURIComponent(text),
  'URL-encoded, lower-case hex': (text) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  'form-encoded (+)': (text) => new URLSearchParams({ echo: text }).toString(),
  'base64 of the whole echo': (text) => Buffer.from(text).toString('base64'),
  'base64 one byte further in': (text) => Buffer.from(`>${text}`).toString('base64'),
  'base64 two bytes further in': (text) => Buffer.from(`>>${text}`).toString('base64'),
  'base64url': (text) => Buffer.from(text).toString('base64url'),
  hex: (text) => Buffer.from(text).toString('hex'),
};

describe('scrubbing what a server echoes', () => {
  it.each(Object.entries(ECHOES))('removes a routing key and a webhook echoed %s', (_how, encode) => {
    const echoed = encode(`POST /services/T0A1B2C3D4/B9F8E7D6C5/Xq4mP2zR8sK1vN6wT3yL0cHj {"routing_key":"${KEY}","url":"${WEBHOOK}"}`);
    const clean = scrub(echoed, [KEY, WEBHOOK]);
    expect(clean).toContain('[secret]');
    expect(findLeaks([KEY, ...WEBHOOK_TOKENS], { clean })).toEqual([]);
  });

  it('removes each long segment of a secret URL echoed in pieces, and keeps its origin', () => {
    const clean = scrub('no route: ["services", "T0A1B2C3D4", "B9F8E7D6C5", "Xq4mP2zR8sK1vN6wT3yL0cHj"] at https://hooks.slack.com', [WEBHOOK]);
    expect(findLeaks(WEBHOOK_TOKENS, { clean })).toEqual([]);
    expect(clean).toContain('https://hooks.slack.com');
  });

  it('removes a basic-auth pair of a URL, in base64 as an Authorization header carries it', () => {
    const url = 'https://relay-user:Pa55w0rd-relay-9c1e@relay.example.com/hook';
    const echoed = `authorization: Basic ${Buffer.from('relay-user:Pa55w0rd-relay-9c1e').toString('base64')}`;
    expect(findLeaks(['Pa55w0rd-relay-9c1e'], { clean: scrub(echoed, [url]) })).toEqual([]);
  });
});

describe('server text kept in a result', () => {
  it('scrubs before it cuts: a secret straddling the cut leaves no piece behind', () => {
    const body = `${'p'.repeat(SNIPPET_CHARS - 10)}${KEY} and more`;
    const kept = serverText(body, [KEY]);
    expect(kept.length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(findLeaks([KEY], { kept })).toEqual([]);
  });

  it('strips terminal sequences and control characters, also those splitting a secret', () => {
    const kept = serverText(`\x1b]0;pwned\x07\x1b[31mkey=${KEY.slice(0, 16)}\x1b[0m${KEY.slice(16)}\x00\r\nend`, [KEY]);
    expect(kept).toBe('key=[secret] end');
  });

  it('bounds what it keeps', () => {
    expect(serverText('x'.repeat(100_000), [])).toHaveLength(SNIPPET_CHARS);
    expect(serverText('x'.repeat(100_000), [], { maxChars: 1_000 })).toHaveLength(1_000);
  });

  it('scrubs an exact value in every encoding without splitting it into parts', () => {
    const requestUrl = 'https://soar.example.com/rest/container?_filter_name=%22cloudtrail_root%22';
    const kept = serverText(`bad container at ${encodeURIComponent(requestUrl)}`, [], { exact: [requestUrl] });
    expect(kept).toBe('bad container at [secret]');
  });
});
