import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { tempProject } from '../support/rules-project.ts';
import { isolatedEnv } from '../support/secrets.ts';

/** A service of the user's own, written exactly as docs/adding-a-service.md shows. */
const TEAMS = `import { OutputBase, output, descriptorProperty, property, delivered, type Alert, type Publication, type DispatchResult } from 'streamalert';

@output
export class TeamsOutput extends OutputBase {
  static override readonly service = 'teams';
  static override readonly displayName = 'Microsoft Teams';
  static override readonly properties = {
    descriptor: descriptorProperty('Microsoft Teams', 'channel, team, etc'),
    url: property('the Teams workflow webhook url', { secret: true, inputRestrictions: [' '] }),
  };

  async dispatch(alert: Alert, publication: Publication): Promise<DispatchResult> {
    const outcome = await this.context.http.send({ method: 'POST', url: this.setting('url'), json: { text: \`Rule triggered: \${alert.ruleName}\`, record: publication.record } });
    return outcome.ok ? delivered() : outcome.result;
  }
}
`;

describe("a project's own output service", () => {
  let teams: LoopbackReceiver;
  beforeAll(async () => {
    teams = await LoopbackReceiver.start();
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
    expect(teams.requests.at(-1)).toMatchObject({ path: '/workflows/abc', json: { text: 'Rule triggered: streamalert_output_test' } });
  });

  it('may not take the id of another service, and the error names the file', () => {
    const dir = tempProject({ 'outputs/chat/slack-again.ts': TEAMS.replace("service = 'teams'", "service = 'slack'") });
    const run = streamalert(['--project', dir, 'output', 'list'], { env: isolatedEnv() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("outputs/chat/slack-again.ts could not be loaded (DuplicateServiceError: Output service 'slack' is registered twice");
  });
});
