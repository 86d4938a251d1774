import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { buildDiscordMessage, DISCORD_LIMITS, type DiscordMessage } from '../../src/outputs/discord/message.ts';
import { LoopbackReceiver } from '../support/receiver.ts';
import { expectNoSecrets } from '../support/no-secrets.ts';
import { makeOutput, sampleAlert, testContext } from '../support/outputs.ts';

// Wire format: https://discord.com/developers/docs/resources/webhook#execute-webhook
// Embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
// 429 body: https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit
const context = testContext();
const TOKEN = 'dSZtXn7bkBQ1uKqWfZ3rA9cN0vYpLm2eHs4TgJ6iOx8';
const SECRET_PATH = `/api/webhooks/123456789012345678/${TOKEN}`;

const view = { ruleName: 'r', ruleDescription: 'd', alertId: 'id', created: 'now' };

function embedChars(message: DiscordMessage): number {
  return message.embeds.reduce((sum, embed) => sum + embed.title.length + embed.description.length + embed.footer.text.length, 0);
}

describe('Discord message', () => {
  it('keeps a huge record within every embed limit and says how much was cut', () => {
    const record = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, 'v'.repeat(40)]));
    const message = buildDiscordMessage({ ...view, ruleName: 'n'.repeat(400), ruleDescription: 'x'.repeat(5000), record });
    const [embed] = message.embeds;
    expect(embed!.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.titleChars);
    expect(embed!.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.descriptionChars);
    expect(embedChars(message)).toBeLessThanOrEqual(DISCORD_LIMITS.totalEmbedChars);
    expect(embed!.description).toContain('field_0: ');
    expect(embed!.description).toMatch(/```\n\(record truncated: \d+ more characters not shown\)$/);
  });

  it('sends a small record whole, and breaks backtick fences inside it', () => {
    const message = buildDiscordMessage({ ...view, record: { cmd: 'echo ```; rm' } });
    expect(message.embeds[0]!.description).toBe('d\n\n```\ncmd: echo ``\u200b`; rm\n```');
  });
});

describe('Discord output against a loopback webhook', () => {
  let discord: LoopbackReceiver;
  beforeAll(async () => {
    discord = await LoopbackReceiver.start();
  });
  afterAll(() => discord.close());
  beforeEach(() => {
    discord.requests.length = 0;
  });

  const output = () => makeOutput(context, 'discord', { url: new Secret(discord.url + SECRET_PATH) }, 'sec-alerts');
  const send = () => {
    const alert = sampleAlert();
    return output().dispatch(alert, toAlertDocument(alert));
  };

  it('executes the webhook with an embed naming the rule, its description and the record, and takes 204 as delivered', async () => {
    discord.script({ status: 204 });
    const alert = sampleAlert();
    const document = toAlertDocument(alert);
    expect(await output().dispatch(alert, document)).toEqual({ kind: 'delivered' });
    const [request] = discord.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(SECRET_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    const message = request!.json as DiscordMessage;
    expect(Object.keys(message)).toEqual(['embeds', 'allowed_mentions']);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const [embed] = message.embeds;
    expect(embed!.title).toBe('Rule triggered: cloudtrail_root_account_usage');
    expect(embed!.description).toMatch(/^The root account was used: <investigate> & rotate\n\n```\neventName: ConsoleLogin\n/);
    expect(embed!.description).toContain('userIdentity:\n    type: Root');
    expect(embed!.footer.text).toBe(`Alert ${alert.id} created ${String(document.created)}`);
  });

  it.each([
    [400, { message: 'Invalid Form Body', code: 50035 }, 'failed', 'client_error'],
    [401, { message: 'Invalid Webhook Token', code: 50027 }, 'failed', 'auth'],
    [404, { message: 'Unknown Webhook', code: 10015 }, 'failed', 'not_found'],
    [500, { message: '500: Internal Server Error' }, 'retry', 'server_error'],
    [502, 'bad gateway', 'retry', 'server_error'],
  ])('classifies HTTP %i %j as %s (%s), naming the error and never the webhook', async (status, body, kind, reason) => {
    // The server echoes the webhook URL: the scrubber must take it out of the message.
    const echoed = typeof body === 'object' ? { ...body, url: discord.url + SECRET_PATH } : `${body} ${SECRET_PATH}`;
    discord.script({ status, body: echoed });
    const result = await send();
    expect(result).toMatchObject({ kind, reason });
    expect(result.kind !== 'delivered' && result.message).toContain(typeof body === 'object' ? body.message : body);
    expectNoSecrets([SECRET_PATH, TOKEN], result);
  });

  it('retries a 429 after its Retry-After header', async () => {
    discord.script({ status: 429, headers: { 'retry-after': '3' }, body: { message: 'You are being rate limited.', retry_after: 2.5, global: false } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 3000 });
  });

  it("retries a 429 without the header after its body's retry_after seconds", async () => {
    discord.script({ status: 429, body: { message: 'You are being rate limited.', retry_after: 0.729, global: false } });
    expect(await send()).toMatchObject({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 729 });
  });

  it('retries a reset as a connection failure', async () => {
    discord.script('reset');
    const result = await send();
    expect(result).toMatchObject({ kind: 'retry', reason: 'connection' });
    expectNoSecrets([SECRET_PATH, TOKEN], result);
  });
});
