import { expect } from 'vitest';
import { streamalert, streamalertAsync } from '../support/cli.ts';
import { uniqueName } from '../support/moto.ts';
import { SCHEMAS, tempProject } from '../support/rules-project.ts';

/** The store a noise test project uses: SQLite, or the DynamoDB table on moto (its AWS settings passed on, as serve's env is only what it is given). */
export type Backend = 'sqlite' | 'dynamodb';

/** Environment for the CLI and serve: the test's, plus AWS_* (moto's endpoint, fake credentials) for serve, which gets only what it is given. */
export function withAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AWS_'))), ...env };
}

/**
 * A project with `rules` (file name to source), the Slack output `slack:sec-alerts` pointing at
 * `slackUrl`, quick retries, and the store of `backend` set up.
 */
export async function noiseProject(backend: Backend, rules: Record<string, string>, slackUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  const prefix = uniqueName('noise').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const dir = tempProject({
    ...SCHEMAS,
    ...rules,
    'conf/global.json': {
      account: { prefix, region: 'us-east-1' },
      store: { backend },
      delivery: { baseDelayMs: 10, maxDelayMs: 50 },
    },
  });
  const configured = await streamalertAsync(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slackUrl}/services/T/B/X` }) });
  expect(configured.status, configured.stderr).toBe(0);
  if (backend === 'dynamodb') {
    const setup = streamalert(['--project', dir, 'store', 'setup'], { env });
    expect(setup.status, setup.stderr).toBe(0);
  }
  return dir;
}

/** What `alerts list --json` says of one alert (the fields these tests read). */
export interface ListedAlert {
  id: string;
  rule_name: string;
  created: string;
  deliveries: { output: string; status: string }[];
  suppressed?: { reason: string; silence_id?: string; onto?: string; by_rule?: string };
  update_of?: string;
}

export async function listed(dir: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<ListedAlert[]> {
  const run = await streamalertAsync(['--project', dir, 'alerts', 'list', '--json', '--limit', '1000', ...args], { env });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ListedAlert[];
}
