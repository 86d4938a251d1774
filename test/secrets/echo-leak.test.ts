import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { findLeaks } from '../support/no-secrets.ts';
import { LoopbackReceiver, type ReceivedRequest } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:echo', 'pagerduty:echo', 'phantom:echo'] }, (rec) => rec.result === 'fraud');
`;

/** Long random tokens: no piece of one turns up anywhere by chance. */
const token = (label: string) => `${label}${randomBytes(16).toString('hex')}`;
const SLACK = { team: token('T'), bot: token('B'), key: token('X') };
const ROUTING_KEY = token('R');
const SOAR = { tenant: token('tenant'), authToken: token('ph') };
const SECRETS = [SLACK.team, SLACK.bot, SLACK.key, ROUTING_KEY, SOAR.tenant, SOAR.authToken];

/** The old cut: the first 300 characters of an error body were kept, then scrubbed. */
const OLD_CUT_CHARS = 300;

/**
 * How a receiver echoes the request (method, path, body and headers) in its 500 answer: each
 * way one server or another has been seen to.
 */
const ECHOES: Record<string, (raw: string) => string> = {
  plain: (raw) => raw,
  // The last secret of the echo starts 20 characters before the old cut, so a cut-then-scrub kept 20 of it.
  padding: (raw) => {
    const at = Math.max(...SECRETS.map((secret) => raw.lastIndexOf(secret)));
    return 'p'.repeat(Math.max(0, OLD_CUT_CHARS - 20 - at)) + raw.slice(Math.max(0, at - (OLD_CUT_CHARS - 20)));
  },
  'json-slashes': (raw) => JSON.stringify({ echo: raw }).replaceAll('/', '\\/'),
  'url-encoded': (raw) => encodeURIComponent(raw),
  'form-encoded': (raw) => new URLSearchParams({ echo: raw }).toString(),
  base64: (raw) => Buffer.from(raw).toString('base64'),
  'path-segments': (raw) => JSON.stringify({ route: raw.split(' ')[1]!.split('?')[0]!.split('/'), reason: 'no such route' }),
  // Control sequences inside each secret: scrubbing the raw text would miss the secret, printing it would show it whole.
  terminal: (raw) => `\x1b]0;pwned\x07\x1b[31m${SECRETS.reduce((text, secret) => text.replaceAll(secret, `${secret.slice(0, 10)}\x1b[0m${secret.slice(10)}`), raw)}`,
};

/** The echo mode a request asks for: its record's `reason`, which every output sends on. */
function echoOf(request: ReceivedRequest): string {
  const mode = /echo-mode-([a-z0-9-]+)/.exec(request.body)?.[1] ?? 'plain';
  const raw = `${request.method} ${request.path} ${request.body} ${JSON.stringify(request.headers)}`;
  return ECHOES[mode]!(raw);
}

describe('a server that echoes the request in its error answer', () => {
  let receiver: LoopbackReceiver;
  beforeAll(async () => {
    receiver = await LoopbackReceiver.start();
    receiver.respond((request) => {
      // SOAR's lookups answer as SOAR does (the rule's container exists, no artifact yet), so the artifact create carries the record.
      if (request.method === 'GET' && request.path.includes('/rest/container')) return { status: 200, body: { count: 1, data: [{ id: 5 }] } };
      if (request.method === 'GET' && request.path.includes('/rest/artifact')) return { status: 200, body: { count: 0, data: [] } };
      return { status: 500, body: echoOf(request) };
    });
  });
  afterAll(() => receiver.close());

  it('finds a piece of a secret in each encoding, so that the scan below can fail', () => {
    const secret = SLACK.key;
    const planted = [secret.slice(3, 15), Buffer.from(`>${secret}`).toString('base64'), encodeURIComponent(`/${secret}/`), Buffer.from(secret).toString('hex').slice(0, 24)];
    for (const text of planted) expect(findLeaks([secret], { text }), text).toHaveLength(1);
    expect(findLeaks([secret], { text: `${secret.slice(0, 6)} and ${SLACK.team}` })).toEqual([]);
  });

  it('leaves no secret, in any encoding or piece, in alerts.db, alerts list or what run printed', async () => {
    // prepare: Slack (url), PagerDuty (routing_key) and SOAR (ph_auth_token, and a tenant path in its url), all answered by the echoing receiver
    const env = isolatedEnv();
    const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { delivery: { maxAttempts: 1 } } });
    const configure = (service: string, values: object) => {
      const configured = streamalert(['--project', dir, 'output', 'new', '--service', service, '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'echo', ...values }) });
      expect(configured.status, configured.stderr).toBe(0);
    };
    configure('slack', { url: `${receiver.url}/services/${SLACK.team}/${SLACK.bot}/${SLACK.key}` });
    configure('pagerduty', { routing_key: ROUTING_KEY, url: `${receiver.url}/v2/enqueue` });
    configure('phantom', { url: `${receiver.url}/${SOAR.tenant}`, ph_auth_token: SOAR.authToken });
    const modes = Object.keys(ECHOES);
    const input = join(dir, 'fraud.ndjson');
    writeFileSync(input, modes.map((mode) => JSON.stringify(duoRecord({ reason: `echo-mode-${mode}` }))).join('\n'));

    // act
    const run = await streamalertAsync(['--project', dir, 'run', '--input', input], { env });
    const list = streamalert(['--project', dir, 'alerts', 'list', '--json'], { env });
    const listed = streamalert(['--project', dir, 'alerts', 'list'], { env });

    // assess: every output was answered in every mode, and the answers were stored
    expect(run.status, run.stderr).toBe(1);
    const posts = receiver.requests.filter((request) => request.method === 'POST').map((request) => request.path.split('?')[0]);
    expect(posts.filter((path) => path === `/services/${SLACK.team}/${SLACK.bot}/${SLACK.key}`)).toHaveLength(modes.length);
    expect(posts.filter((path) => path === '/v2/enqueue')).toHaveLength(modes.length);
    expect(posts.filter((path) => path === `/${SOAR.tenant}/rest/artifact`)).toHaveLength(modes.length);
    const results = (JSON.parse(list.stdout) as { deliveries: { last_result: string }[] }[]).flatMap((alert) => alert.deliveries.map((d) => d.last_result));
    expect(results).toHaveLength(modes.length * 3);
    for (const result of results) expect(result).toMatch(/^failed server_error: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500: /);
    // Every answer held a secret but PagerDuty's path echo (its key travels in the body).
    expect(results.filter((result) => result.includes('[secret]'))).toHaveLength(modes.length * 3 - 1);
    for (const result of results) expect(result).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(run.stderr).toContain('dead letter');

    // assess: no secret anywhere
    const db = join(dir, '.streamalert', 'alerts.db');
    const files = Object.fromEntries([db, `${db}-wal`].filter((file) => existsSync(file)).map((file) => [file, readFileSync(file)]));
    expect(Object.keys(files)).toContain(db);
    const printed = { 'run stdout': run.stdout, 'run stderr': run.stderr, 'alerts list --json': list.stdout, 'alerts list': listed.stdout };
    expect(findLeaks(SECRETS, { ...files, ...printed })).toEqual([]);
  });
});
