import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.ts';
import { loadProject } from '../../src/config/project.ts';
import { openDeliverySession } from '../../src/delivery/session.ts';
import { noiseSettingsFor } from '../../src/noise/rule-settings.ts';
import { streamalert } from '../support/cli.ts';
import { sampleAlert } from '../support/outputs.ts';
import { LoopbackReceiver, type ReceivedRequest } from '../support/receiver.ts';
import { duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, newMasterKey } from '../support/secrets.ts';

const TOKEN = 'xoxb-1111111111-2222222222-SlackBotTestTokenValue02';
const CHANNEL_ID = 'C0SECALERT';
const MINUTE = 60_000;

const addressOf = (request: ReceivedRequest) => {
  const { channel, thread_ts: threadTs } = request.json as { channel: string; thread_ts?: string };
  return { channel, threadTs };
};

describe('a dedup window through slack-bot', () => {
  let slack: LoopbackReceiver;
  let posted = 0;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
    slack.respond(() => ({ status: 200, body: { ok: true, channel: CHANNEL_ID, ts: `1712345678.${String(++posted).padStart(6, '0')}` } }));
  });
  afterAll(() => slack.close());

  it("sends the window's first alert, and its update ('2 more alerts ...') replies in that message's thread", async () => {
    const env = isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey() });
    const dir = tempProject({});
    const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack-bot', '--from-file', '-'], {
      env,
      input: JSON.stringify({ descriptor: 'sec-alerts', channel: '#sec-alerts', token: TOKEN, url: `${slack.url}/api` }),
    });
    expect(configured.status, configured.stderr).toBe(0);

    const previousKey = process.env.STREAMALERT_MASTER_KEY;
    process.env.STREAMALERT_MASTER_KEY = env.STREAMALERT_MASTER_KEY;
    const session = await openDeliverySession(loadProject(dir));
    try {
      const at = Date.now();
      const noise = noiseSettingsFor('duo_fraud', { dedup: () => '', window: { periodMs: 10 * MINUTE, threshold: 1 } }, 'alice@example.com');
      const alerts: Alert[] = Array.from({ length: 3 }, (_, i) => ({ ...sampleAlert({ ruleName: 'duo_fraud', record: duoRecord({ timestamp: 1715675412 + i }), outputs: ['slack-bot:sec-alerts'], created: new Date(at + i) }), noise }));
      await session.store.save(alerts);
      await session.engine.drain(Date.now() + 60_000);
      expect(slack.requests).toHaveLength(1);
      expect(addressOf(slack.requests[0]!)).toEqual({ channel: '#sec-alerts', threadTs: undefined });
      const firstTs = (await session.store.deliveredReference(alerts[0]!.id, 'slack-bot:sec-alerts'))!.split('/')[1];

      const updates = await session.merger.closeDue(at + 11 * MINUTE);
      expect(updates).toHaveLength(1);
      await session.engine.drain(Date.now() + 60_000);
      expect(slack.requests).toHaveLength(2);
      expect(slack.requests[1]!.body).toContain('2 more alerts of duo_fraud for alice@example.com in the last 10 minutes');
      expect(addressOf(slack.requests[1]!)).toEqual({ channel: CHANNEL_ID, threadTs: firstTs });
    } finally {
      await session.close();
      if (previousKey === undefined) delete process.env.STREAMALERT_MASTER_KEY;
      else process.env.STREAMALERT_MASTER_KEY = previousKey;
    }
  });
});
