import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument, type Alert } from '../../src/alerts/alert.ts';
import { loadProject } from '../../src/config/project.ts';
import { openDeliverySession } from '../../src/delivery/session.ts';
import { mergeSettingsFor } from '../../src/merge/rule-settings.ts';
import { createOutputContext } from '../../src/outputs/context.ts';
import { OutputConfigError } from '../../src/outputs/errors.ts';
import { SqliteAlertStore } from '../../src/store/sqlite.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { streamalert } from '../support/cli.ts';
import { expectNoSecrets, secretRenderings } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { LoopbackReceiver, type ReceivedRequest } from '../support/receiver.ts';
import { duoRecord, tempProject } from '../support/rules-project.ts';
import { isolatedEnv, newMasterKey, tempDir } from '../support/secrets.ts';

const TOKEN = 'xoxb-1111111111-2222222222-SlackBotTestTokenValue01';
const CHANNEL_ID = 'C0SECALERT';

/** What a posted message's request carried: the fields threading is about. */
const addressOf = (request: ReceivedRequest) => {
  const { channel, thread_ts: threadTs } = request.json as { channel: string; thread_ts?: string };
  return { channel, threadTs };
};

describe('slack-bot output', () => {
  const context = testContext();
  let slack: LoopbackReceiver;
  /** Each post answered as Slack does, with the next ts: 1712345678.000001, .000002, ... */
  let posted = 0;
  beforeAll(async () => {
    slack = await LoopbackReceiver.start();
  });
  afterAll(() => slack.close());

  const answerOk = () => {
    slack.respond(() => ({ status: 200, body: { ok: true, channel: CHANNEL_ID, ts: `1712345678.${String(++posted).padStart(6, '0')}` } }));
  };
  const bot = (channel = CHANNEL_ID, outputContext: ReturnType<typeof testContext> = context) =>
    makeOutput(outputContext, 'slack-bot', { channel, token: new Secret(TOKEN), url: `${slack.url}/api` }, 'sec-alerts');

  it("keeps the posted message's channel id and ts as the reference, posting to a #name as configured", async () => {
    slack.requests.length = 0;
    answerOk();
    const alert = sampleAlert();
    const result = await bot('#sec-alerts').dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: `${CHANNEL_ID}/1712345678.${String(posted).padStart(6, '0')}` });
    expect(addressOf(slack.requests[0]!)).toEqual({ channel: '#sec-alerts', threadTs: undefined });
    expect(slack.requests[0]!.json).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it.each([
    ['invalid_auth', { kind: 'failed', reason: 'auth' }],
    ['not_authed', { kind: 'failed', reason: 'auth' }],
    ['account_inactive', { kind: 'failed', reason: 'auth' }],
    ['token_revoked', { kind: 'failed', reason: 'auth' }],
    ['channel_not_found', { kind: 'failed', reason: 'not_found' }],
    ['not_in_channel', { kind: 'failed', reason: 'not_found' }],
    ['msg_too_long', { kind: 'failed', reason: 'too_large' }],
    ['invalid_blocks', { kind: 'failed', reason: 'client_error' }],
    ['internal_error', { kind: 'retry', reason: 'server_error' }],
  ])('answers HTTP 200 {ok: false, error: %s} as %o', async (error, expected) => {
    slack.respond(() => ({ status: 200, body: { ok: false, error, echo: TOKEN } }));
    const result = await bot().attempt(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ ...expected, message: expect.stringContaining(error) });
    expectNoSecrets(secretRenderings(TOKEN), result);
  });

  it('retries an ok: false ratelimited answer after its Retry-After', async () => {
    slack.respond(() => ({ status: 200, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } }));
    expect(await bot().dispatch(sampleAlert(), toAlertDocument(sampleAlert()))).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 3_000 });
  });

  it("posts a record too large for one message in parts, each after the first in the first's thread", async () => {
    slack.requests.length = 0;
    answerOk();
    const record = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field_${i}`, 'v'.repeat(100)]));
    const alert = sampleAlert({ record });
    const result = await bot().dispatch(alert, toAlertDocument(alert));
    expect(slack.requests.length).toBeGreaterThan(1);
    const first = `1712345678.${String(posted - slack.requests.length + 1).padStart(6, '0')}`;
    expect(result).toEqual({ kind: 'delivered', reference: `${CHANNEL_ID}/${first}` });
    expect(addressOf(slack.requests[0]!)).toEqual({ channel: CHANNEL_ID, threadTs: undefined });
    for (const request of slack.requests.slice(1)) expect(addressOf(request)).toEqual({ channel: CHANNEL_ID, threadTs: first });
  });

  it('refuses a token that is not a bot token, and a channel that is neither an id nor a #name, at configuration', () => {
    expect(() => makeOutput(context, 'slack-bot', { channel: CHANNEL_ID, token: new Secret('xoxp-user-token') })).toThrow(OutputConfigError);
    expect(() => makeOutput(context, 'slack-bot', { channel: CHANNEL_ID, token: new Secret('xoxp-user-token') })).toThrow('token must be a bot token, starting with xoxb-');
    expect(() => makeOutput(context, 'slack-bot', { channel: 'Sec-Alerts', token: new Secret(TOKEN) })).toThrow('channel must be a channel id');
  });

  describe('threads', () => {
    /** Alerts of one merge group of a mergeSendFirst rule, the first created first. */
    const mergingAlerts = (count: number): Alert[] => {
      const settings = mergeSettingsFor({ mergeByKeys: ['name'], mergeWindowMins: 10, mergeSendFirst: true }, duoRecord())!;
      const at = Date.now();
      return Array.from({ length: count }, (_, i) => ({ ...sampleAlert({ ruleName: 'duo_fraud', record: duoRecord({ timestamp: 1715675412 + i }), outputs: ['slack-bot:sec-alerts'], created: new Date(at + i) }), merge: settings }));
    };

    it("two alerts merged land in one thread: the merged alert's request carries the first alert's ts (issue 13)", async () => {
      slack.requests.length = 0;
      answerOk();
      const env = isolatedEnv({ STREAMALERT_MASTER_KEY: newMasterKey() });
      const dir = tempProject({});
      const configured = streamalert(['--project', dir, 'output', 'new', '--service', 'slack-bot', '--from-file', '-'], {
        env,
        input: JSON.stringify({ descriptor: 'sec-alerts', channel: '#sec-alerts', token: TOKEN, url: `${slack.url}/api` }),
      });
      expect(configured.status, configured.stderr).toBe(0);

      // The delivering process reads the credentials with the same master key.
      const previousKey = process.env.STREAMALERT_MASTER_KEY;
      process.env.STREAMALERT_MASTER_KEY = env.STREAMALERT_MASTER_KEY;
      const session = await openDeliverySession(loadProject(dir));
      try {
        const [first, second] = mergingAlerts(2);
        // The window's first alert is sent at once (mergeSendFirst) and delivered.
        await session.store.save([first!]);
        await session.engine.drain(Date.now() + 60_000);
        expect(slack.requests).toHaveLength(1);
        const firstTs = (await session.store.deliveredReference(first!.id, 'slack-bot:sec-alerts'))!.split('/')[1];
        expect(addressOf(slack.requests[0]!)).toEqual({ channel: '#sec-alerts', threadTs: undefined });

        // The second joins the window; when it closes, the merged alert replies in the first's thread.
        await session.store.save([second!]);
        const merged = await session.merger.closeDue(Date.now() + 11 * 60_000);
        expect(merged).toHaveLength(1);
        await session.engine.drain(Date.now() + 60_000);
        expect(slack.requests).toHaveLength(2);
        expect(slack.requests[1]!.body).toMatch(/AlertCount\W+2\b/);
        expect(addressOf(slack.requests[1]!)).toEqual({ channel: CHANNEL_ID, threadTs: firstTs });
        expect(firstTs).toMatch(/^1712345678\.\d{6}$/);
      } finally {
        await session.close();
        if (previousKey === undefined) delete process.env.STREAMALERT_MASTER_KEY;
        else process.env.STREAMALERT_MASTER_KEY = previousKey;
      }
    });

    it('posts a merged alert at the top of the channel when its first alert was not delivered through this output, or the store cannot say', async () => {
      const store = new SqliteAlertStore(`${tempDir()}/alerts.db`);
      const withStore = createOutputContext({ timeoutMs: context.http.timeoutMs, deliveries: store });
      try {
        const [first, second] = mergingAlerts(2);
        await store.save([first!, second!]);
        const [merged] = await store.closeDueMerges(Date.now() + 11 * 60_000, (members) => ({ ...sampleAlert({ outputs: ['slack-bot:sec-alerts'] }), mergeOf: members.map((member) => member.id) }));
        slack.requests.length = 0;
        answerOk();
        expect(await bot(CHANNEL_ID, withStore).dispatch(merged!, toAlertDocument(merged!))).toMatchObject({ kind: 'delivered' });
        expect(addressOf(slack.requests[0]!)).toEqual({ channel: CHANNEL_ID, threadTs: undefined });

        store.close();
        expect(await bot(CHANNEL_ID, withStore).dispatch(merged!, toAlertDocument(merged!))).toMatchObject({ kind: 'delivered' });
        expect(addressOf(slack.requests[1]!)).toEqual({ channel: CHANNEL_ID, threadTs: undefined });
      } finally {
        await withStore.close();
      }
    });
  });
});
