import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver, type ReceivedRequest, type Scripted } from '../support/receiver.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** A service of the user's own: the file docs/adding-a-service.md shows, taken from the page itself. */
const TEAMS = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs', 'adding-a-service.md'), 'utf8'))![1]!;

/**
 * What a Teams Workflows webhook accepts: a message whose attachments hold an Adaptive Card
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using);
 * anything else, such as a bare {text}, is refused.
 */
function teamsWorkflow(request: ReceivedRequest): Scripted {
  const message = request.json as { type?: unknown; attachments?: { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }[] } | undefined;
  const card = message?.attachments?.[0];
  const accepted =
    request.method === 'POST' &&
    String(request.headers['content-type']).startsWith('application/json') &&
    message?.type === 'message' &&
    message.attachments?.length === 1 &&
    card?.contentType === 'application/vnd.microsoft.card.adaptive' &&
    card.content?.type === 'AdaptiveCard' &&
    typeof card.content.version === 'string' &&
    Array.isArray(card.content.body) &&
    card.content.body.length > 0;
  return accepted ? { status: 202, body: '' } : { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'not an Adaptive Card message' } } };
}

describe("a project's own output service", () => {
  let teams: LoopbackReceiver;
  beforeAll(async () => {
    teams = (await LoopbackReceiver.start()).respond(teamsWorkflow);
  });
  afterAll(() => teams.close());

  it('is one class in one file under outputs/: listed, configured and delivered to like a built-in one', async () => {
    const env = isolatedEnv();
    const dir = tempProject({ 'outputs/teams.ts': TEAMS });

    const services = streamalert(['--project', dir, 'output', 'services', '--json'], { env });
    expect(services.status, services.stderr).toBe(0);
    expect(JSON.parse(services.stdout)).toContainEqual({
      service: 'teams',
      name: 'Microsoft Teams',
      properties: [
        { name: 'descriptor', description: 'a short and unique descriptor for this Microsoft Teams integration (ie: channel, team, etc)', secret: false, optional: false },
        { name: 'url', description: 'the Teams workflow webhook url', secret: true, optional: false },
      ],
    });

    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'teams', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'general', url: `${teams.url}/workflows/abc` }) });
    expect(configured.status, configured.stderr).toBe(0);

    const test = await streamalertAsync(['--project', dir, 'output', 'test', 'teams:general'], { env });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('teams:general: delivered');
    const card = (teams.requests.at(-1)!.json as { attachments: { content: { body: { text: string }[] } }[] }).attachments[0]!.content;
    expect(teams.requests.at(-1)!.path).toBe('/workflows/abc');
    expect(card.body.map((block) => block.text)).toEqual([
      'Rule triggered: streamalert_output_test',
      "Test alert sent by 'streamalert output test teams:general'. If you can read this, the output works; no action is needed.",
      expect.stringContaining('"message": "This is a test alert from StreamAlert. No action is needed."'),
    ]);
  });

  it('refuses a webhook url that is not a URL, as a built-in service does', () => {
    const dir = tempProject({ 'outputs/teams.ts': TEAMS });
    const run = streamalert(['--project', dir, 'output', 'new', '--service', 'teams', '--from-file', '-'], { env: isolatedEnv(), input: JSON.stringify({ descriptor: 'general', url: 'teams-webhook' }) });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: url must be a URL starting with https:// (or http://), e.g. https://example.com/path (teams, from standard input)\n');
  });

  it('without @output is not registered: a warning names the file and the fix', () => {
    const dir = tempProject({ 'outputs/chat/teams.ts': TEAMS.replace('@output\n', '') });
    const run = streamalert(['--project', dir, 'output', 'services'], { env: isolatedEnv() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("warning: outputs/chat/teams.ts: class TeamsOutput (service 'teams') has no @output, so it is not registered and no command sees it; add @output on the line above 'export class TeamsOutput'\n");
    expect(run.stdout).not.toContain('teams');
  });

  it('may not take the id of another service, and the error names the file', () => {
    const dir = tempProject({ 'outputs/chat/slack-again.ts': TEAMS.replace("service = 'teams'", "service = 'slack'") });
    const run = streamalert(['--project', dir, 'output', 'list'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("outputs/chat/slack-again.ts could not be loaded (DuplicateServiceError: Output service 'slack' is registered twice");
  });
});
