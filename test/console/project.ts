import { streamalert } from '../support/cli.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { SCHEMAS, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, knownSecret } from '../support/secrets.ts';

const RULES = `import { rule } from 'streamalert';
export const duo_fraud = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'], description: 'A Duo push marked as fraud', context: { team: 'identity' } }, (rec) => rec.result === 'fraud');
export const duo_denied = rule({ logs: ['duo:authentication'], outputs: ['slack:sec-alerts'] }, (rec) => rec.result === 'denied');
`;

/** A project for the console tests: Duo rules to a Slack output on a loopback receiver, whose webhook URL holds a secret; one token. */
export interface ConsoleProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly slack: LoopbackReceiver;
  /** The part of the webhook URL that is the secret: it must reach no page. */
  readonly secret: string;
  readonly token: string;
}

/** Makes the project; deliveries that fail dead-letter within seconds (delivery.maxAgeMs), so tests see dead letters soon. */
export async function consoleProject(): Promise<ConsoleProject> {
  const slack = await LoopbackReceiver.start();
  const env = isolatedEnv();
  const dir = tempProject({
    ...SCHEMAS,
    'rules/duo.ts': RULES,
    'conf/global.json': { delivery: { maxAgeMs: 3_000, baseDelayMs: 50, maxDelayMs: 200 } },
  });
  const secret = knownSecret('webhook');
  const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack', '--from-file', '-'], {
    env,
    input: JSON.stringify({ descriptor: 'sec-alerts', url: `${slack.url}/services/T000/B000/${secret}` }),
  });
  if (configured.status !== 0) throw new Error(`output new failed: ${configured.stderr}`);
  const created = streamalert(['--project', dir, 'token', 'create', '--name', 'on-call'], { env });
  if (created.status !== 0) throw new Error(`token create failed: ${created.stderr}`);
  return { dir, env, slack, secret, token: created.stdout.trim() };
}
