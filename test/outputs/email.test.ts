import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { buildAlertEmail, EMAIL_LIMITS } from '../../src/outputs/email/message.ts';
import { alertText } from '../../src/outputs/text/alert-text.ts';
import { createOutputContext } from '../../src/outputs/context.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { waitUntil } from '../support/cli.ts';
import { expectNoSecrets, secretRenderings } from '../support/no-secrets.ts';
import { hangContext, makeOutput, sampleAlert, testContext } from '../support/outputs.ts';
import { decodeHeader, LoopbackSmtpRelay, parseMail } from '../support/smtp-relay.ts';
import { HANG_TIMEOUT_MS } from '../support/timeouts.ts';

const PASSWORD = 'pX7q-correct-horse-battery-staple-42';

const values = (relay: LoopbackSmtpRelay, overrides: Record<string, string | Secret> = {}) => ({
  host: '127.0.0.1',
  port: String(relay.port),
  security: 'none',
  from: 'StreamAlert <alerts@example.com>',
  to: 'soc@example.com, oncall@example.com',
  ...overrides,
});

describe('email output against a real SMTP server on loopback', () => {
  const context = testContext();
  const hanging = hangContext();
  let plain: LoopbackSmtpRelay;
  let startTls: LoopbackSmtpRelay;
  let implicitTls: LoopbackSmtpRelay;
  let withLogin: LoopbackSmtpRelay;
  beforeAll(async () => {
    [plain, startTls, implicitTls, withLogin] = await Promise.all([
      LoopbackSmtpRelay.start(),
      LoopbackSmtpRelay.start({ tls: true }),
      LoopbackSmtpRelay.start({ implicitTls: true }),
      LoopbackSmtpRelay.start({ tls: true, login: { user: 'streamalert', pass: PASSWORD } }),
    ]);
  });
  afterAll(() => Promise.all([plain, startTls, implicitTls, withLogin].map((relay) => relay?.close())));

  const reset = (relay: LoopbackSmtpRelay) => {
    relay.mode = 'ok';
    relay.messages.length = 0;
  };

  it('sends one message per alert: the rule and alert id in the subject, the description and record in the text, the alert document attached', async () => {
    reset(plain);
    const alert = sampleAlert({ outputs: ['email:test'] });
    const result = await makeOutput(context, 'email', values(plain)).dispatch(alert, toAlertDocument(alert));
    expect(result).toEqual({ kind: 'delivered', reference: `<${alert.id}@streamalert>` });

    expect(plain.messages).toHaveLength(1);
    const [message] = plain.messages;
    expect(message).toMatchObject({ from: 'alerts@example.com', to: ['soc@example.com', 'oncall@example.com'], secure: false });
    const { headers, parts } = parseMail(message!.raw);
    expect(decodeHeader(headers.subject!)).toBe(`StreamAlert: cloudtrail_root_account_usage (alert ${alert.id})`);
    expect(headers['message-id']).toBe(`<${alert.id}@streamalert>`);
    expect(headers['content-type']).toMatch(/^multipart\/mixed/);
    const [text, attachment] = parts;
    expect(text!.body).toContain('Rule triggered: cloudtrail_root_account_usage');
    expect(text!.body).toContain('The root account was used: <investigate> & rotate');
    expect(text!.body).toContain('sourceIPAddress: 203.0.113.7');
    expect(attachment!.headers['content-type']).toMatch(/^application\/json/);
    expect(attachment!.headers['content-disposition']).toContain(`alert-${alert.id}.json`);
    expect(JSON.parse(attachment!.body)).toEqual(JSON.parse(JSON.stringify(toAlertDocument(alert))));
  });

  it('keeps one pooled connection for consecutive alerts, and closes it with the context', async () => {
    const own = createOutputContext({ timeoutMs: context.http.timeoutMs });
    const relay = await LoopbackSmtpRelay.start();
    try {
      const output = makeOutput(own, 'email', values(relay));
      for (let i = 0; i < 3; i++) expect(await output.dispatch(sampleAlert(), toAlertDocument(sampleAlert()))).toMatchObject({ kind: 'delivered' });
      // An output built again (the engine does every few minutes) reuses the same pool.
      expect(await makeOutput(own, 'email', values(relay)).dispatch(sampleAlert(), toAlertDocument(sampleAlert()))).toMatchObject({ kind: 'delivered' });
      expect(relay.messages).toHaveLength(4);
      expect(relay.connectionCount).toBe(1);
      await own.close();
      await waitUntil(() => relay.openConnections === 0);
    } finally {
      await relay.close();
    }
  });

  it('requires STARTTLS by default and sends over it; verify_tls false accepts the self-signed test certificate', async () => {
    reset(startTls);
    const result = await makeOutput(context, 'email', values(startTls, { security: 'starttls', verify_tls: 'false' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(startTls.messages[0]).toMatchObject({ secure: true });
  });

  it('with verify_tls true (the default), refuses the self-signed certificate as a config failure', async () => {
    reset(startTls);
    const result = await makeOutput(context, 'email', values(startTls, { security: 'starttls' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringContaining('verify_tls') });
    expect(startTls.messages).toHaveLength(0);
  });

  it('fails as config when STARTTLS is required and the relay does not offer it', async () => {
    reset(plain);
    const result = await makeOutput(context, 'email', values(plain, { security: 'starttls' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(plain.messages).toHaveLength(0);
  });

  it('speaks implicit TLS with security tls', async () => {
    reset(implicitTls);
    const result = await makeOutput(context, 'email', values(implicitTls, { security: 'tls', verify_tls: 'false' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(implicitTls.messages[0]).toMatchObject({ secure: true });
  });

  it('logs in with username and password over STARTTLS', async () => {
    reset(withLogin);
    const login = { security: 'starttls', verify_tls: 'false', username: 'streamalert', password: new Secret(PASSWORD) };
    const result = await makeOutput(context, 'email', values(withLogin, login)).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'delivered' });
    expect(withLogin.messages[0]).toMatchObject({ user: 'streamalert', secure: true });
  });

  it('fails a refused login (535) as auth, and no form of the password survives though the server echoes the AUTH string', async () => {
    reset(withLogin);
    const wrong = 'wrong-but-still-secret-0123456789';
    const login = { security: 'starttls', verify_tls: 'false', username: 'streamalert', password: new Secret(wrong) };
    const output = makeOutput(context, 'email', values(withLogin, login));
    const alert = sampleAlert();
    const result = await output.attempt(alert, toAlertDocument(alert));
    expect(result).toMatchObject({ kind: 'failed', reason: 'auth', message: expect.stringContaining('535') });
    expectNoSecrets(secretRenderings(wrong), result);
    // The dispatch's own result is scrubbed too, not only what the engine keeps.
    expectNoSecrets(secretRenderings(wrong), await output.dispatch(alert, toAlertDocument(alert)));
  });

  it.each([
    [{ code: 451, message: '4.3.0 local error in processing', at: 'data' as const }, { kind: 'retry', reason: 'server_error' }],
    [{ code: 421, message: '4.7.0 too many messages, slow down', at: 'mail' as const }, { kind: 'retry', reason: 'rate_limited' }],
    [{ code: 450, message: '4.2.0 greylisted, try again later', at: 'rcpt' as const }, { kind: 'retry', reason: 'rate_limited' }],
    [{ code: 550, message: '5.7.1 relaying denied', at: 'mail' as const }, { kind: 'failed', reason: 'client_error' }],
    [{ code: 554, message: '5.6.0 message content rejected', at: 'data' as const }, { kind: 'failed', reason: 'client_error' }],
    [{ code: 552, message: '5.3.4 message too big', at: 'data' as const }, { kind: 'failed', reason: 'too_large' }],
  ])('answers a %o reply as %o', async (mode, expected) => {
    reset(plain);
    plain.mode = mode;
    const result = await makeOutput(context, 'email', values(plain)).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ ...expected, message: expect.stringContaining(String(mode.code)) });
  });

  it('fails as not_found when the relay knows none of the recipients (550 to RCPT TO)', async () => {
    reset(plain);
    const result = await makeOutput(context, 'email', values(plain, { to: 'unknown@example.com' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'failed', reason: 'not_found', message: expect.stringContaining('550') });
  });

  it('delivers to the recipients the relay knows and names the refused ones in the reference', async () => {
    reset(plain);
    const result = await makeOutput(context, 'email', values(plain, { to: 'soc@example.com, unknown@example.com' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'delivered', reference: expect.stringContaining('refused: unknown@example.com') });
    expect(plain.messages[0]!.to).toEqual(['soc@example.com']);
  });

  it('gives up on a relay that never answers DATA within the timeout, as a retryable timeout', async () => {
    reset(plain);
    plain.mode = 'hang';
    const result = await makeOutput(hanging, 'email', values(plain)).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'retry', reason: 'timeout' });
  });

  it("ends a hanging send when the attempt's deadline passes, closing its connection", async () => {
    const relay = await LoopbackSmtpRelay.start();
    try {
      relay.mode = 'hang';
      const alert = sampleAlert();
      const result = await makeOutput(context, 'email', values(relay)).attempt(alert, toAlertDocument(alert), HANG_TIMEOUT_MS);
      expect(result).toMatchObject({ kind: 'retry', reason: 'timeout', message: expect.stringContaining('deadline') });
      await waitUntil(() => relay.openConnections === 0);
    } finally {
      await relay.close();
    }
  });

  it('retries a connection reset mid-send, and a refused connection, as connection failures', async () => {
    reset(plain);
    plain.mode = 'reset';
    expect(await makeOutput(context, 'email', values(plain)).dispatch(sampleAlert(), toAlertDocument(sampleAlert()))).toMatchObject({ kind: 'retry', reason: 'connection' });
    const closed = await LoopbackSmtpRelay.start();
    const port = closed.port;
    await closed.close();
    expect(await makeOutput(context, 'email', { ...values(plain), port: String(port) }).dispatch(sampleAlert(), toAlertDocument(sampleAlert()))).toMatchObject({ kind: 'retry', reason: 'connection' });
  });

  it.each([
    [{ to: ' , ' }, 'to must name 1 to 50 addresses'],
    [{ to: Array.from({ length: 51 }, (_, i) => `a${i}@example.com`).join(',') }, 'to must name 1 to 50 addresses'],
    [{ to: 'soc@example.com, not-an-address' }, 'to must hold e-mail addresses (user@example.com or Name <user@example.com>), separated by commas: address 2 is not one'],
    [{ from: 'a@example.com, b@example.com' }, 'from must name one address'],
    [{ port: '99999' }, 'port must be a number from 1 to 65535'],
  ])('refuses %o at configuration, naming the problem', (overrides, problem) => {
    expect(() => makeOutput(context, 'email', values(plain, overrides))).toThrow(problem);
  });

  it('fails as config, sending nothing, when security none would send a password in clear to another host', async () => {
    reset(plain);
    const result = await makeOutput(context, 'email', values(plain, { host: 'smtp.example.com', password: new Secret(PASSWORD), username: 'u' })).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toMatchObject({ kind: 'failed', reason: 'config', message: expect.stringContaining('security none would send the password in clear') });
    expect(plain.messages).toHaveLength(0);
    expectNoSecrets(secretRenderings(PASSWORD), result);
  });
});

describe('the alert e-mail', () => {
  it('cuts a record past 100,000 characters in the text, saying so, and still attaches the whole document', () => {
    const record = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`field_${i}`, 'v'.repeat(200)]));
    const alert = sampleAlert({ record });
    const email = buildAlertEmail(alertText(alert, toAlertDocument(alert)), toAlertDocument(alert));
    expect(email.text.length).toBeLessThan(EMAIL_LIMITS.recordTextChars + 2_000);
    expect(email.text).toMatch(/\(record truncated: \d+ more characters not shown; alert-.*\.json has all of it\)/);
    expect(JSON.parse(email.attachment!.content)).toMatchObject({ record });
  });

  it('leaves out an alert document over 6 MB, saying so, so the message stays within 10 MB', () => {
    const record = { blob: 'x'.repeat(EMAIL_LIMITS.attachmentBytes) };
    const alert = sampleAlert({ record });
    const email = buildAlertEmail(alertText(alert, toAlertDocument(alert)), toAlertDocument(alert));
    expect(email.attachment).toBeUndefined();
    expect(email.text).toContain('is not attached');
    expect(Buffer.byteLength(email.text)).toBeLessThan(EMAIL_LIMITS.messageBytes / 10);
  });

  it('keeps the subject on one bounded line, the alert id always in it', () => {
    const alert = sampleAlert({ ruleName: `rule\r\nBcc: victim@example.com${'x'.repeat(500)}` });
    const { subject } = buildAlertEmail(alertText(alert, toAlertDocument(alert)), toAlertDocument(alert));
    expect(subject.length).toBeLessThanOrEqual(EMAIL_LIMITS.subjectChars);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.endsWith(`(alert ${alert.id})`)).toBe(true);
  });
});
