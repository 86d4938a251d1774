import { describe, expect, it } from 'vitest';
import { toAlertDocument } from '../../src/alerts/alert.ts';
import { SesOutput } from '../../src/outputs/aws-ses/aws-ses.ts';
import { EMAIL_LIMITS } from '../../src/outputs/email/message.ts';
import { createOutput } from '../../src/outputs/registry.ts';
import { Secret } from '../../src/secrets/secret.ts';
import { sentMail, verifiedSender } from './contract/aws-ses.contract.ts';
import { noMoto } from '../support/moto.ts';
import { motoThroughProxy } from '../support/moto-clients.ts';
import { sampleAlert, testContext } from '../support/outputs.ts';

const context = testContext();

describe('aws-ses declaration', () => {
  it("keeps StreamAlert's properties, both addresses with the credentials (echoed, not masked)", () => {
    expect(Object.keys(SesOutput.properties)).toEqual(['descriptor', 'from_email', 'to_emails']);
    for (const name of ['from_email', 'to_emails'] as const) expect(SesOutput.properties[name]).toMatchObject({ credRequirement: true, maskInput: false });
    expect(SesOutput.limits).toMatchObject({ message: { max: 10 * 1024 * 1024, over: 'truncated' }, rate: { perSecond: 1, burst: 1 } });
  });
});

describe.skipIf(noMoto)('aws-ses output against moto, through a recording proxy', () => {
  const moto = motoThroughProxy();
  const output = (from: string, to: string) =>
    createOutput('aws-ses', { descriptor: 'soc', values: { from_email: new Secret(from), to_emails: new Secret(to) } }, { ...context, aws: moto.clients });
  const sends = () => moto.server.exchanges.filter((exchange) => exchange.path === '/v2/email/outbound-emails');

  it("sends as the verified sender to every recipient of the comma-separated list, and returns SES's message id", async () => {
    const { from, to } = await verifiedSender();
    const result = await output(from, to.join(',')).dispatch(sampleAlert(), toAlertDocument(sampleAlert()));
    expect(result).toEqual({ kind: 'delivered', reference: expect.stringMatching(/^[a-z0-9-]{20,}$/) });
    const { request } = sentMail(sends()[0]!);
    expect(request.FromEmailAddress).toBe(from);
    expect(request.Destination.ToAddresses).toEqual(to);
  });

  it('leaves out an attachment over 6 MB and cuts the record in the text, so the message stays under 10 MB', async () => {
    const { from, to } = await verifiedSender();
    const alert = sampleAlert({ record: { blob: 'x'.repeat(EMAIL_LIMITS.attachmentBytes) } });
    expect(await output(from, to[0]!).dispatch(alert, toAlertDocument(alert))).toMatchObject({ kind: 'delivered' });
    const [exchange] = sends();
    const { request, mail } = sentMail(exchange!);
    expect(Buffer.from(request.Content.Raw.Data, 'base64').byteLength).toBeLessThan(EMAIL_LIMITS.messageBytes);
    expect(mail.parts).toHaveLength(1);
    expect(mail.parts[0]!.body).toContain('(record truncated:');
    expect(mail.parts[0]!.body).toContain('is not attached');
  });

  it('fails client_error with what SES said when the sender is not verified, its address scrubbed from the stored result', async () => {
    const from = 'unverified-sender@example.net';
    const result = await output(from, 'soc@example.com').attempt(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'client_error' });
    expect(result.kind === 'failed' && result.message).toContain('MessageRejected');
    expect(result.kind === 'failed' && result.message).toContain('sending as [secret]');
    expect(JSON.stringify(result)).not.toContain(from);
  });

  it.each([
    ['a sender that is no address', 'alerts', 'soc@example.com', 'from_email must hold e-mail addresses'],
    ['two senders', 'a@example.com,b@example.com', 'soc@example.com', 'from_email must name one address'],
    ['more than 50 recipients', 'alerts@example.com', Array.from({ length: 51 }, (_, i) => `r${i}@example.com`).join(','), 'to_emails must name 1 to 50 addresses'],
    ['a recipient that is no address', 'alerts@example.com', 'soc@example.com,oncall', 'address 2 is not one'],
  ])('fails config, sending nothing, for %s', async (_, from, to, message) => {
    const result = await output(from, to).dispatch(sampleAlert(), {});
    expect(result).toMatchObject({ kind: 'failed', reason: 'config' });
    expect(result.kind === 'failed' && result.message).toContain(message);
    expect(sends()).toHaveLength(0);
  });
});
