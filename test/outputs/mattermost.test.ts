import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildMattermostMessage, MATTERMOST_LIMITS, type MattermostMessage } from '../../src/outputs/mattermost/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Wire format: https://developers.mattermost.com/integrate/webhooks/incoming/
const context = testContext();
const HOOK_ID = 'xk3s9q7mtbgpjf8wn1zr5cyd4e';
const SECRET_PATH = `/hooks/${HOOK_ID}`;

const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

describe('Mattermost message', () => {
  it('keeps a huge record within one post and says how much was cut', () => {
    const record = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const { text } = buildMattermostMessage({ ...view, ruleDescription: 'x'.repeat(5000), record });
    expect(text.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.postChars);
    expect(text).toContain('field_0: ');
    expect(text).toMatch(/```\n\(record truncated: \d+ more characters not shown\)\nAlert `id` created now$/);
  });

  it('sends a small record whole, in a code block between the description and the alert id', () => {
    expect(buildMattermostMessage({ ...view, record: { user: 'root' } }).text).toBe('#### Rule triggered: r\nd\n```\nuser: root\n```\nAlert `id` created now');
  });
});

describe('Mattermost output against a loopback webhook', () => {
  let mattermost: LoopbackReceiver;
  beforeAll(async () => {
    mattermost = await LoopbackReceiver.start();
  });
  afterAll(() => mattermost.close());
  beforeEach(() => {
    mattermost.requests.length = 0;
  });

  const output = () => makeOutput(context, 'mattermost', { url: new Secret(mattermost.url + SECRET_PATH) }, 'sec-alerts');
  const send = () => {
    const alert = sampleAlert();
    return output().dispatch(alert, toAlertDocument(alert));
  };

  it('posts the rule, its description and the record as JSON text, and takes 200 ok as delivered', async () => {
    mattermost.script({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
    const alert = sampleAlert();
    const document = toAlertDocument(alert);
    expect(await output().dispatch(alert, document)).toEqual({ kind: 'delivered' });
    const [request] = mattermost.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(SECRET_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as MattermostMessage;
    expect(Object.keys(message)).toEqual(['text']);
    expect(message.text).toMatch(/^#### Rule triggered: cloudtrail_root_account_usage\nThe root account was used: <investigate> & rotate\n```\neventName: ConsoleLogin\n/);
    expect(message.text).toContain('userIdentity:\n    type: Root');
    expect(message.text.endsWith(`\nAlert \`${alert.id}\` created ${String(document.created)}`)).toBe(true);
  });

  it.each([
    [400, 'Unable to parse incoming data', 'failed', 'client_error'],
    [403, 'Incoming webhooks have been disabled by the system admin.', 'failed', 'auth'],
    [404, 'Unable to find the webhook', 'failed', 'not_found'],
    [500, 'Internal Server Error', 'retry', 'server_error'],
    [503, 'Service Unavailable', 'retry', 'server_error'],
  ])('classifies HTTP %i "%s" as %s (%s), naming the error and never the webhook', async (status, error, kind, reason) => {
    // The server echoes the webhook URL: the scrubber must take it out of the message.
    mattermost.script({ status, body: { id: 'web.incoming_webhook.error', message: error, detail: `hook ${mattermost.url}${SECRET_PATH} (${HOOK_ID})`, status_code: status } });
    const result = await send();
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(error);
    expectNoSecrets([SECRET_PATH, HOOK_ID], result);
  });

  it('retries a 429 after its Retry-After', async () => {
    mattermost.script({ status: 429, headers: { 'retry-after': '7' }, body: 'limit exceeded' });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 7000 });
  });

  it('retries a reset as a connection failure', async () => {
    mattermost.script('reset');
    const result = await send();
    expect(result).toMatchObject({ kind: 'retry', reason: 'connection' });
    expectNoSecrets([SECRET_PATH, HOOK_ID], result);
  });
});
