import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver, type ReceivedRequest, type Scripted } from '../support/receiver.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** A service of the user's own: the file docs/adding-a-service.md shows, taken from the page itself. */
const GOTIFY = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs', 'adding-a-service.md'), 'utf8'))![1]!;

const TOKEN = 'AbQ3xTz9.kLmN0pQr';

/**
 * What Gotify's message API accepts: POST /message with the application token in a header and a
 * JSON message with a title, a message and a priority (https://gotify.net/api-docs#/message/createMessage).
 */
function gotify(request: ReceivedRequest): Scripted {
  if (request.headers['x-gotify-key'] !== TOKEN) return { status: 401, body: { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' } };
  const message = request.json as { title?: unknown; message?: unknown; priority?: unknown } | undefined;
  const accepted =
    request.method === 'POST' &&
    request.path === '/message' &&
    String(request.headers['content-type']).startsWith('application/json') &&
    typeof message?.title === 'string' &&
    typeof message.message === 'string' &&
    Number.isInteger(message.priority);
  return accepted ? { status: 200, body: { id: 25, appid: 5, ...message } } : { status: 400, body: { error: 'Bad Request', errorCode: 400 } };
}

describe("a project's own output service", () => {
  let server: LoopbackReceiver;
  beforeAll(async () => {
    server = (await LoopbackReceiver.start()).respond(gotify);
  });
  afterAll(() => server.close());

  it('is one class in one file under outputs/: listed, configured and delivered to like a built-in one', async () => {
    const env = isolatedEnv();
    const dir = tempProject({ 'outputs/gotify.ts': GOTIFY });

    const services = streamalert(['--project', dir, 'output', 'services', '--json'], { env });
    expect(services.status, services.stderr).toBe(0);
    expect(JSON.parse(services.stdout)).toContainEqual(
      expect.objectContaining({
        service: 'gotify',
        name: 'Gotify',
        properties: [
          { name: 'descriptor', description: 'a short and unique descriptor for this Gotify integration (ie: server, app, etc)', secret: false, optional: false },
          { name: 'url', description: 'the Gotify server url, e.g. https://push.example.com', secret: false, optional: false },
          { name: 'token', description: 'the Gotify application token', secret: true, optional: false },
        ],
      }),
    );

    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'gotify', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'phones', url: server.url, token: TOKEN }) });
    expect(configured.status, configured.stderr).toBe(0);

    const test = await streamalertAsync(['--project', dir, 'output', 'test', 'gotify:phones'], { env });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('gotify:phones: delivered');
    const message = server.requests.at(-1)!.json as { title: string; message: string; priority: number };
    expect(message.title).toBe('Rule triggered: streamalert_output_test');
    expect(message.message).toContain("Test alert sent by 'streamalert output test gotify:phones'.");
    expect(message.message).toContain('"message": "This is a test alert from StreamAlert. No action is needed."');
    expect(message.priority).toBe(2);
  });

  it('refuses a webhook url that is not a URL, as a built-in service does', () => {
    const dir = tempProject({ 'outputs/gotify.ts': GOTIFY });
    const run = streamalert(['--project', dir, 'output', 'new', '--service', 'gotify', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify({ descriptor: 'phones', url: 'push-server', token: TOKEN }) });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: url must be a URL starting with https:// (or http://), e.g. https://example.com/path (gotify, from standard input)\n');
  });

  it('without @output is not registered: a warning names the file and the fix', () => {
    const dir = tempProject({ 'outputs/chat/gotify.ts': GOTIFY.replace('@output\n', '') });
    const run = streamalert(['--project', dir, 'output', 'services'], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("warning: outputs/chat/gotify.ts: class GotifyOutput (service 'gotify') has no @output, so it is not registered and no command sees it; add @output on the line above 'export class GotifyOutput'\n");
    expect(run.stdout).not.toContain('gotify');
  });

  it('may not take the id of another service, and the error names the file', () => {
    const dir = tempProject({ 'outputs/chat/slack-again.ts': GOTIFY.replace("service = 'gotify'", "service = 'slack'") });
    const run = streamalert(['--project', dir, 'output', 'list'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("outputs/chat/slack-again.ts could not be loaded (DuplicateServiceError: Output service 'slack' is registered twice");
  });
});
