import { expect } from 'vitest';
import { loadProject } from '../../../src/config/project.ts';
import type { StoredAlert } from '../../../src/store/alert-store.ts';
import { openAlertStore } from '../../../src/store/open.ts';
import { streamalert } from '../../support/cli.ts';
import { uniqueName } from '../../support/moto.ts';
import { LoopbackReceiver } from '../../support/receiver.ts';
import { SCHEMAS, tempProject } from '../../support/rules-project.ts';
import { isolatedEnv } from '../../support/secrets.ts';

export const ROOT_LOGIN_RULE = `import { rule } from 'streamalert';
export const root_login = rule({ logs: ['cloudtrail:events'], outputs: ['slack:sec-alerts'] }, (rec) => rec.userIdentity.type === 'Root');
`;

export interface LambdaProject {
  readonly dir: string;
  readonly slack: LoopbackReceiver;
  /** Every stored alert as [eventName, source_service, source_entity]. */
  sources(): Promise<[unknown, string | undefined, string | undefined][]>;
  stored(): Promise<StoredAlert[]>;
  close(): Promise<void>;
}

/**
 * A project as a function would be packaged with it: the root_login rule, a Slack output at a
 * loopback receiver, the alert store (a DynamoDB table in moto, set up as `store setup` does,
 * or SQLite); STREAMALERT_PROJECT and the key's folders pointed at it until close().
 */
export async function lambdaProject(backend: 'dynamodb' | 'sqlite' = 'dynamodb'): Promise<LambdaProject> {
  const saved = { ...process.env };
  const slack = await LoopbackReceiver.start();
  const env = isolatedEnv();
  const prefix = uniqueName('lambda').toLowerCase();
  const dir = tempProject({
    ...SCHEMAS,
    'rules/root_login.ts': ROOT_LOGIN_RULE,
    'conf/global.json': { account: { prefix, region: 'us-east-1' }, store: { backend } },
  });
  const steps = [['output', 'new', '--service', 'slack', '--from-file', '-'], ...(backend === 'dynamodb' ? [['store', 'setup']] : [])];
  for (const args of steps) {
    const run = streamalert(['--project', dir, ...args], { env, input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T/B/X` }) });
    expect(run.status, run.stderr).toBe(0);
  }
  Object.assign(process.env, { STREAMALERT_PROJECT: dir, HOME: env.HOME, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
  const stored = async () => {
    const store = await openAlertStore(loadProject(dir));
    try {
      return await store.list({ limit: 1000 });
    } finally {
      store.close();
    }
  };
  return {
    dir,
    slack,
    stored,
    async sources() {
      return (await stored()).map(({ alert }) => [alert.record.eventName, alert.sourceService, alert.sourceEntity]);
    },
    async close() {
      process.env = saved;
      await slack.close();
    },
  };
}

/** Slack messages the receiver got for root_login. */
export function rootLoginMessages(slack: LoopbackReceiver): number {
  return slack.requests.filter((request) => JSON.stringify(request.json).includes('Rule triggered: root_login')).length;
}
