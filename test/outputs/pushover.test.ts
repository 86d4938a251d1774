import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildPushoverMessage, PUSHOVER_LIMITS } from '../../src/outputs/pushover/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Messages API: https://pushover.net/api#messages; answers: https://pushover.net/api#response;
// limits (1,024-character message, 250-character title, monthly quota, 429): https://pushover.net/api#limits
const context = testContext();
const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('Pushover message', () => {
  it('keeps a huge record, a long rule name and description within the title and message limits, saying what was cut', () => {
    const record = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const alert = sampleAlert();
    const message = buildPushoverMessage({ token: TOKEN, user: USER }, { ...view, ruleName: 'n'.repeat(400), ruleDescription: 'x'.repeat(2000), record }, alert);
    expect(message.title.length).toBeLessThanOrEqual(PUSHOVER_LIMITS.titleChars);
    expect(message.message.length).toBeLessThanOrEqual(PUSHOVER_LIMITS.messageChars);
    expect(message.message).toContain('field_0: ');
    expect(message.message).toMatch(/\n\(record truncated: \d+ more characters not shown\)\n\nAlert id created now$/);
  });
});

describe('Pushover output against a loopback Messages API', () => {
  let pushover: LoopbackReceiver;
  beforeAll(async () => {
    pushover = await LoopbackReceiver.start();
  });
  afterAll(() => pushover.close());
  beforeEach(() => {
    pushover.requests.length = 0;
  });

  const send = () => {
    const alert = sampleAlert();
    return makeOutput(context, 'pushover', { token: new Secret(TOKEN), user: new Secret(USER), url: `${pushover.url}/1/messages.json` }).dispatch(alert, toAlertDocument(alert));
  };

  it('fails an invalid user key as auth and any other rejection as client_error, listing Pushover\'s errors and no key', async () => {
    pushover.script(
      { status: 400, body: { user: 'invalid', errors: ['user identifier is not a valid user, group, or subscribed user key', `echo ${USER}`], status: 0, request: 'r1' } },
      { status: 400, body: { message: 'cannot be blank', errors: ['message cannot be blank', 'title is too long'], status: 0, request: 'r2' } },
    );
    const badUser = await send();
    const badMessage = await send();
    expect(badUser).toMatchObject({ kind: 'failed', reason: 'auth' });
    expect(badUser.kind !== 'delivered' && badUser.message).toContain('user identifier is not a valid user, group, or subscribed user key');
    expect(badMessage).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringContaining('refused the message (HTTP 400): message cannot be blank; title is too long') });
    expectNoSecrets([TOKEN, USER], badUser, badMessage);
  });

  it('fails a 200 whose body says status 0 instead of taking it as delivered', async () => {
    pushover.script({ status: 200, body: { status: 0, errors: ['application is over its message limit'], request: 'r3' } });
    expect(await send()).toMatchObject({ kind: 'failed', reason: 'client_error', message: expect.stringContaining('application is over its message limit') });
  });

  it('retries a spent monthly quota (429) when X-Limit-App-Reset says it renews', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    pushover.script({ status: 429, headers: { 'x-limit-app-reset': String(resetAt) }, body: { status: 0, errors: ['application has exceeded its monthly message limit'], request: 'r4' } });
    const result = await send();
    expect(result).toMatchObject({ kind: 'retry', reason: 'rate_limited', message: expect.stringContaining('the monthly quota renews at') });
    // Between the reset time less a generous allowance for a slow machine, and the reset time.
    expect(result.kind === 'retry' && result.retryAfterMs).toBeGreaterThan(3_000_000);
    expect(result.kind === 'retry' && result.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });
});
