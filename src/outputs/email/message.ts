import type Mail from 'nodemailer/lib/mailer';
import type { Alert } from '../../alerts/alert.ts';
import { printable } from '../http/printable.ts';
import type { Publication } from '../output.ts';
import { renderRecord } from '../slack/render.ts';
import { alertText, truncateText, type AlertText } from '../text/alert-text.ts';

/**
 * The sizes one alert's e-mail is kept within. An SMTP relay states its own limit (the SIZE
 * extension, RFC 1870); 10 MB is Amazon SES's and below Gmail's and Microsoft 365's 25 MB, so a
 * message this size passes the common relays:
 * https://docs.aws.amazon.com/ses/latest/dg/quotas.html
 * https://support.google.com/a/answer/1366776
 */
export const EMAIL_LIMITS = {
  messageBytes: 10 * 1024 * 1024,
  /** Our choice: past this the text is no longer read, and the attachment has the whole alert. */
  recordTextChars: 100_000,
  /**
   * The largest alert document attached: base64 grows it by 4/3 and its line breaks by 78/76,
   * so 6 MB is 8.2 MB on the wire, leaving room for the text (at most ~400 KB in UTF-8) and headers.
   */
  attachmentBytes: 6 * 1024 * 1024,
  /** RFC 5322 allows 998 characters per header line; a subject is read in a mail list at far fewer. */
  subjectChars: 200,
  ruleDescriptionChars: 4_000,
} as const;

/** What is sent of one alert: the parts of the message nodemailer composes. */
export interface AlertEmail {
  subject: string;
  text: string;
  /** The alert document as JSON, or undefined when it is over EMAIL_LIMITS.attachmentBytes (the text says so). */
  attachment?: { filename: string; content: string };
}

/**
 * One alert as one e-mail: the subject names the rule and the alert id; the text gives the rule's
 * description and the record rendered readably (cut past 100,000 characters, saying so); the
 * alert document is attached as JSON (left out past 6 MB, saying so).
 *
 * @example
 *   buildAlertEmail(alertText(alert, publication), publication).subject
 *   // 'StreamAlert: cloudtrail_root_account_usage (alert 019ad9f2-...)'
 */
export function buildAlertEmail(view: AlertText, document: unknown): AlertEmail {
  const json = JSON.stringify(document, null, 2);
  const filename = `alert-${view.alertId}.json`;
  const attached = Buffer.byteLength(json, 'utf8') <= EMAIL_LIMITS.attachmentBytes;
  const record = renderRecord(view.record);
  const shown = record.slice(0, EMAIL_LIMITS.recordTextChars);
  const lines = [
    `Rule triggered: ${view.ruleName}`,
    '',
    ...(view.ruleDescription ? [truncateText(view.ruleDescription, EMAIL_LIMITS.ruleDescriptionChars), ''] : []),
    `Alert ${view.alertId} created ${view.created}`,
    '',
    'Record:',
    shown,
    ...(shown.length < record.length ? ['', `(record truncated: ${record.length - shown.length} more characters not shown${attached ? `; ${filename} has all of it` : ''})`] : []),
    '',
    attached
      ? `The whole alert document is attached as ${filename}.`
      : `The alert document (${Buffer.byteLength(json, 'utf8')} bytes) is over the ${EMAIL_LIMITS.attachmentBytes}-byte attachment limit and is not attached; 'streamalert alerts show ${view.alertId}' prints it.`,
  ];
  return {
    subject: subjectFor(view),
    text: lines.join('\n'),
    ...(attached && { attachment: { filename, content: json } }),
  };
}

/**
 * The message nodemailer composes for one alert, from `from` to `to`: buildAlertEmail's subject,
 * text and attachment. Its Message-ID comes from the alert id, the same on a resend after a lost
 * answer, so that mail clients that dedupe by it show the alert once. Shared by `email` (sent
 * over SMTP) and `aws-ses` (composed, then sent raw).
 *
 * @example
 *   await transport.sendMail({ ...alertMail(alert, publication, 'streamalert@example.com', ['soc@example.com']), signal });
 */
export function alertMail(alert: Alert, publication: Publication, from: string, to: readonly string[]): Mail.Options {
  const email = buildAlertEmail(alertText(alert, publication), publication);
  return {
    from,
    to: [...to],
    subject: email.subject,
    text: email.text,
    ...(email.attachment && { attachments: [{ ...email.attachment, contentType: 'application/json' }] }),
    messageId: `<${alert.id}@streamalert>`,
    // Nothing in an alert may make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** `StreamAlert: <rule> (alert <id>)` on one line: the rule name is cut to fit, the id always kept. */
function subjectFor(view: AlertText): string {
  const suffix = ` (alert ${view.alertId})`;
  const room = EMAIL_LIMITS.subjectChars - 'StreamAlert: '.length - suffix.length;
  return `StreamAlert: ${truncateText(printable(view.ruleName), Math.max(1, room))}${suffix}`;
}
