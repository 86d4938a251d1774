import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync, waitUntil } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';
import { startServe, type RunningServe } from '../support/serve.ts';

const RULE = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'fraud');
`;
const MiB = 1024 * 1024;

/** A project whose duo_fraud rule alerts to a Slack webhook on `slack`, with `serve` settings in conf/global.json. */
function project(slack: LoopbackReceiver, serve: object): { dir: string; env: NodeJS.ProcessEnv } {
  const env = isolatedEnv();
  const dir = tempProject({ ...SCHEMAS, 'rules/duo_fraud.ts': RULE, 'conf/global.json': { serve } });
  const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }),
  });
  expect(configured.status, configured.stderr).toBe(0);
  return { dir, env };
}

/** NDJSON of fraud records, just over `bytes` long. */
function ndjsonOver(bytes: number): Buffer {
  const line = `${JSON.stringify(duoRecord())}\n`;
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length) + 1));
}

/** A raw connection to `base` that has sent `opening` and keeps the rest to itself; tells when the server closes it. */
function openConnection(base: string, opening: string): { socket: Socket; received: () => string; closed: () => boolean } {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  let received = '';
  let closed = false;
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  socket.write(opening);
  return { socket, received: () => received, closed: () => closed };
}

describe('streamalert serve limits', () => {
  let slack: LoopbackReceiver;
  let serve: RunningServe;
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  // Asynchronous: a blocked test process would let serve's keep-alive connections expire under it.
  const storedAlerts = async () => {
    const listed = await streamalertAsync(['--project', dir, 'alerts', 'list', '--json'], { env });
    expect(listed.status, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as unknown[]).length;
  };

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    ({ dir, env } = project(slack, { maxConcurrentRequests: 1 }));
    serve = await startServe(dir, env);
  });
  afterAll(async () => {
    await serve.stop();
    await slack.close();
  });

  it('refuses an 11 MB body with 413 naming the limit, and stores nothing of it', async () => {
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: ndjsonOver(11 * MiB) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toContain(`${10 * MiB} bytes`);
    expect(await storedAlerts()).toBe(0);
    expect(slack.requests).toHaveLength(0);
  });

  it('refuses a small gzip body that inflates past the limit, and stores nothing of it', async () => {
    const bomb = gzipSync(ndjsonOver(11 * MiB));
    expect(bomb.length).toBeLessThan(MiB);
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(response.status).toBe(413);
    expect(await storedAlerts()).toBe(0);
  });

  it('accepts a gzip body within the limit', async () => {
    const body = gzipSync([duoRecord(), duoRecord({ result: 'success' })].map((record) => JSON.stringify(record)).join('\n'));
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body, headers: { 'content-encoding': 'gzip' } });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ read: 2, alerts: 1 });
    await waitUntil(() => slack.requests.length === 1);
  });

  it('stores the good lines of NDJSON with bad ones, and names the bad lines in the 202', async () => {
    slack.requests.length = 0;
    const lines = [JSON.stringify(duoRecord()), '{"result": "fraud",', JSON.stringify(duoRecord({ user: { name: 'eve@example.com' } })), '', 'not json', JSON.stringify(duoRecord())];
    const response = await fetch(`${serve.base}/v1/records?log_type=duo`, { method: 'POST', body: lines.join('\n') });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ read: 5, classified: 3, alerts: 3, rejected: 2, rejected_lines: [2, 5] });
    await waitUntil(() => slack.requests.length === 3);
  });

  it('answers 503 with Retry-After past serve.maxConcurrentRequests, and serves again once a slot is free', async () => {
    // One request in progress (headers sent, body not yet) takes the only slot.
    const held = openConnection(serve.base, `POST /v1/records?log_type=duo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{"result"`);
    let busy: Response | undefined;
    await waitUntil(async () => (busy = await fetch(`${serve.base}/metrics`)).status === 503);
    expect(busy!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await busy!.json()) as { error: string }).error).toContain('serve.maxConcurrentRequests');
    expect((await fetch(`${serve.base}/healthz`)).status).toBe(200);
    held.socket.destroy();
    await waitUntil(async () => (await fetch(`${serve.base}/metrics`)).status === 200);
  });
});

describe('streamalert serve against slow clients', () => {
  let slack: LoopbackReceiver;
  let serve: RunningServe;

  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    const { dir, env } = project(slack, { requestTimeoutMs: 1_000 });
    serve = await startServe(dir, env);
  });
  afterAll(async () => {
    await serve.stop();
    await slack.close();
  });

  it('cuts off a client that sends its headers and then stalls the body', async () => {
    const stalled = openConnection(serve.base, `POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n[{"result": `);
    await waitUntil(stalled.closed);
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a client that trickles its body a byte at a time', async () => {
    const trickling = openConnection(serve.base, `POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n`);
    const drip = setInterval(() => trickling.socket.write(' '), 50);
    try {
      await waitUntil(trickling.closed);
    } finally {
      clearInterval(drip);
    }
    expect(slack.requests).toHaveLength(0);
  });

  it('cuts off a client that never finishes its headers, and keeps serving the others', async () => {
    const slowHeaders = openConnection(serve.base, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
    await waitUntil(slowHeaders.closed);
    expect((await fetch(`${serve.base}/healthz`)).status).toBe(200);
  });
});
