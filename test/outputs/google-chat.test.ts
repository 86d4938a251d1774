import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { buildGoogleChatMessage, GOOGLE_CHAT_LIMITS } from '../../src/outputs/google-chat/message.ts';
import { serverText } from '../../src/outputs/http/redact.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// The wire format and answers are the contract's (test/outputs/contract/google-chat.contract.ts);
// this file covers the text's cut to 4,096 characters, mentions, the thread and request id in
// the query, and what Google's answers say beyond their status.
// https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create
const context = testContext();
const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id-1', created: 'now', record: { host: 'web-1' } };

describe('Google Chat message', () => {
  it('puts the rule in bold, the description, the alert, then the record in a code block', () => {
    expect(buildGoogleChatMessage(view)).toEqual({ text: '*Rule triggered: r*\nd\nAlert `id-1` created now\n```\nhost: web-1\n```', thread: { threadKey: 'r' } });
  });

  it('cuts a huge record to fit 4,096 characters in all, saying how much was left out', () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const { text } = buildGoogleChatMessage({ ...view, ruleName: 'n'.repeat(5_000), ruleDescription: 'x'.repeat(5_000), record });
    expect(text.length).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.textChars);
    expect(text).toContain('field_0: ');
    expect(text).toMatch(/```\n\(record truncated: \d+ more characters not shown\)$/);
  });

  it('breaks <users/all> mentions in the rule, the description and the record, keys included', () => {
    const { text } = buildGoogleChatMessage({ ...view, ruleDescription: 'hi <users/all>', record: { ua: 'x <users/all>', '<users/123>': 1 } });
    expect(text).not.toContain('<users/');
    expect(text.match(/<\u200busers\//g)).toHaveLength(3);
  });
});

describe('Google Chat output against a loopback webhook', () => {
  let chat: LoopbackReceiver;
  beforeAll(async () => {
    chat = await LoopbackReceiver.start();
  });
  afterAll(() => chat.close());
  beforeEach(() => {
    chat.requests.length = 0;
  });

  const send = (query = 'key=AIzaSyExampleKey000000&token=tok%3D') => {
    const alert = sampleAlert();
    return { alert, result: makeOutput(context, 'google-chat', { url: new Secret(`${chat.url}/v1/spaces/AAAA/messages?${query}`) }).dispatch(alert, toAlertDocument(alert)) };
  };

  it("keeps the created message's name as the reference", async () => {
    chat.script({ status: 200, body: { name: 'spaces/AAAA/messages/abc.abc', thread: { name: 'spaces/AAAA/threads/abc' } } });
    expect(await send().result).toEqual({ kind: 'delivered', reference: 'spaces/AAAA/messages/abc.abc' });
  });

  it('takes a 200 without a message name as delivered, with no reference', async () => {
    chat.script({ status: 200, body: 'ok' });
    expect(await send().result).toEqual({ kind: 'delivered' });
  });

  it('sends the same request id on a retry of the same alert, so that Google returns the first message', async () => {
    chat.script({ status: 503 }, { status: 200, body: {} });
    const alert = sampleAlert();
    const output = makeOutput(context, 'google-chat', { url: new Secret(`${chat.url}/v1/spaces/AAAA/messages?key=k&token=t`) });
    expect(await output.dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'retry' });
    expect(await output.dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    const ids = chat.requests.map((request) => new URL(request.path, chat.url).searchParams.get('requestId'));
    expect(ids).toEqual([alert.id, alert.id]);
  });

  it('does not add a query value the configured URL already sets', async () => {
    chat.script({ status: 200, body: {} });
    await send('key=k&token=t&messageReplyOption=REPLY_MESSAGE_OR_FAIL').result;
    const params = new URL(chat.requests[0]!.path, chat.url).searchParams;
    expect(params.getAll('messageReplyOption')).toEqual(['REPLY_MESSAGE_OR_FAIL']);
  });

  it.each([
    [400, { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } }, 'failed', 'client_error'],
    [403, { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } }, 'failed', 'auth'],
    [404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } }, 'failed', 'not_found'],
    [429, { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }, 'retry', 'rate_limited'],
  ])('answers %i %j as %s (%s): only a bad key among the 400s is a credential', async (status, body, kind, reason) => {
    chat.script({ status, body });
    expect(await send().result).toMatchObject({ kind, reason });
  });
});

describe('a Google Chat webhook URL in a server answer', () => {
  it('is scrubbed in every encoding, its token as written (ending in %3D) included', () => {
    const url = 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaSyExampleKey000000&token=q9Xw3Lk7Rb2Tm5Vn8Pz1%3D';
    const echoed = `bad token ${encodeURIComponent('q9Xw3Lk7Rb2Tm5Vn8Pz1%3D')} and q9Xw3Lk7Rb2Tm5Vn8Pz1%3D`;
    expect(serverText(echoed, [url])).toBe('bad token [secret] and [secret]');
  });
});
