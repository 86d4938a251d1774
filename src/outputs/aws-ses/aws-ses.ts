import type Mail from 'nodemailer/lib/mailer';
import type { Alert } from '../../alerts/alert.ts';
import { classifyAwsError } from '../../aws/classify.ts';
import { alertMail, EMAIL_LIMITS } from '../email/message.ts';
import { checkAddresses, recipients } from '../email/smtp-settings.ts';
import { OutputBase, type Attempt, type Publication } from '../output.ts';
import { property } from '../property.ts';
import { descriptorProperty, output } from '../registry.ts';
import { delivered, failed, type DispatchResult } from '../result.ts';

/**
 * The message is the `email` output's, kept within 10 MB (the SES v1 limit; the v2 API we call
 * takes 40 MB) by cutting the record in the text and leaving out an attachment over 6 MB. SES
 * sends 1 message a second from a sandbox account, counting each recipient as one: a sandbox's
 * rate is the declared one, and a production account's (its MaxSendRate) overrides it in settings.
 */
const SES_LIMITS = {
  message: { max: EMAIL_LIMITS.messageBytes, unit: 'bytes', over: 'truncated' },
  rate: { perSecond: 1, burst: 1 },
  source: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
} as const;

/**
 * Amazon SES (StreamAlert's SESOutput): one e-mail per alert, sent raw with the SES v2
 * SendEmail, from a verified identity to a comma-separated list: the rule and alert id in the
 * subject, the rule's description and the record in the text, the alert document attached as
 * JSON, exactly as the `email` output composes it. https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 *
 * As in StreamAlert, both addresses are kept with the credentials (encrypted). SendEmail has no
 * idempotency key, and SES sets its own Message-ID: a retry after a lost answer may mail twice.
 */
@output
export class SesOutput extends OutputBase {
  static override readonly service = 'aws-ses';
  static override readonly displayName = 'AWS SES';
  // StreamAlert's names and wording. Echoed at the prompt (no address is a password), stored encrypted.
  static override readonly properties = {
    descriptor: descriptorProperty('AWS SES', 'team or mailing list'),
    from_email: property('the SES Verified email address to send from', { credRequirement: true }),
    to_emails: property('the SES Verified recipient email addresses, comma-separated', { credRequirement: true }),
  };
  static override readonly limits = SES_LIMITS;

  async dispatch(alert: Alert, publication: Publication, attempt: Attempt = {}): Promise<DispatchResult> {
    const from = this.setting('from_email');
    const to = this.setting('to_emails');
    const fromProblem = checkAddresses(from, 1);
    const toProblem = checkAddresses(to);
    const problem = fromProblem ? `from_email ${fromProblem}` : toProblem && `to_emails ${toProblem}`;
    if (problem) return failed('config', `${this.name}: ${problem}; run 'streamalert output new --service aws-ses --update' to fix it`);

    const raw = await composeRaw(alertMail(alert, publication, from, recipients(to)));
    try {
      const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      const ses = await this.context.aws.client('sesv2', async () => SESv2Client);
      const send = new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: recipients(to) }, Content: { Raw: { Data: raw } } });
      const response = await this.context.aws.call((abortSignal) => ses.send(send, { abortSignal }), attempt.signal);
      return delivered(response.MessageId);
    } catch (error) {
      // SES answers an unverified sender or recipient (sandbox) with MessageRejected: a client_error that names it.
      return classifyAwsError(error, `Amazon SES in ${this.context.aws.region}, sending as ${from}`);
    }
  }
}

/** The RFC 5322 message nodemailer composes of `mail`, as SendEmail's Raw content takes it. */
async function composeRaw(mail: Mail.Options): Promise<Buffer> {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
  return new MailComposer(mail).compile().build();
}
