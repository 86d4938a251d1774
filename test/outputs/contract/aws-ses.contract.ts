import { expect } from 'vitest';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { awsContract } from '../../support/contract.ts';
import { motoEndpoint, uniqueName } from '../../support/moto.ts';
import { withClient } from '../../support/moto-clients.ts';
import { RecordingProxy, type ProxiedExchange } from '../../support/recording-proxy.ts';
import { decodeHeader, parseMail } from '../../support/smtp-relay.ts';

/** A sender SES has verified (moto refuses any other), and two recipients. */
export async function verifiedSender(): Promise<{ from: string; to: string[] }> {
  const from = `${uniqueName('alerts')}@example.com`;
  await withClient(new SESv2Client({}), (ses) => ses.send(new CreateEmailIdentityCommand({ EmailIdentity: from })));
  return { from, to: ['soc@example.com', 'oncall@example.org'] };
}

/** What a SendEmail request carried: its JSON fields, and the raw message parsed. */
export function sentMail(exchange: ProxiedExchange) {
  const request = JSON.parse(exchange.body.toString('utf8')) as { FromEmailAddress: string; Destination: { ToAddresses: string[] }; Content: { Raw: { Data: string } } };
  return { request, mail: parseMail(Buffer.from(request.Content.Raw.Data, 'base64').toString('utf8')) };
}

export default awsContract({
  service: 'aws-ses',
  docs: ['https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html', 'https://docs.aws.amazon.com/ses/latest/dg/send-email-raw.html'],
  idempotency: 'none: SendEmail takes no idempotency key and SES sets its own Message-ID, so a retry after a lost answer may mail the alert twice (the subject names the alert id)',
  protocol: 'rest-json',
  async setup() {
    // moto keeps the mails it accepts only in its internal state (its data.json fails once a Lambda
    // function exists): a proxy shows the request, and moto's 200 that it took the message.
    const proxy = await RecordingProxy.start(motoEndpoint);
    const { from, to } = await verifiedSender();
    return {
      values: { from_email: from, to_emails: to.join(',') },
      endpoint: proxy.url,
      close: () => proxy.close(),
      received: async () => proxy.exchanges.filter((exchange) => exchange.path === '/v2/email/outbound-emails'),
    };
  },
  check(received, alert, publication) {
    const exchange = received.at(-1) as ProxiedExchange;
    expect(exchange).toMatchObject({ method: 'POST', status: 200 });
    const { request, mail } = sentMail(exchange);
    expect(request.Destination.ToAddresses).toEqual(['soc@example.com', 'oncall@example.org']);
    expect(mail.headers.from).toBe(request.FromEmailAddress);
    expect(mail.headers.to).toBe('soc@example.com, oncall@example.org');
    expect(decodeHeader(mail.headers.subject!)).toBe(`StreamAlert: ${alert.ruleName} (alert ${alert.id})`);
    const [text, attachment] = mail.parts;
    expect(text!.body).toContain(`Rule triggered: ${alert.ruleName}`);
    expect(attachment!.headers['content-disposition']).toContain(`alert-${alert.id}.json`);
    expect(JSON.parse(attachment!.body)).toEqual(JSON.parse(JSON.stringify(publication)));
  },
});
